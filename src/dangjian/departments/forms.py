from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.forms import DateInput, DateTimeInput


class DepartmentForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Street"), queryset=None)
    name = forms.CharField(label=pgettext_lazy("department", "Name"), max_length=100)
    code = forms.CharField(label=pgettext_lazy("department", "Code"), max_length=20)
    duties = forms.CharField(label=_("Duties"), max_length=300, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class _NoEcho(forms.TextInput):
    """A phone typed in is never written back into the page (not even after a refusal)."""

    def format_value(self, value):
        return None


class ContactForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("contact", "Name"), max_length=50)
    title = forms.CharField(label=pgettext_lazy("contact", "Title"), max_length=50, required=False)
    phone = forms.CharField(label=pgettext_lazy("contact", "Phone"), max_length=20, required=False,
                            widget=_NoEcho(attrs={"inputmode": "tel", "autocomplete": "off"}))
    username = forms.CharField(label=_("Login (username)"), max_length=150, required=False,
                               help_text=_("An existing account: it gets the department's narrowed role."))


class SummonForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    due_at = forms.DateTimeField(label=_("Answer by"), widget=DateTimeInput())
    request = forms.CharField(label=_("What is asked"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class AnswerForm(forms.Form):
    answer = forms.CharField(label=pgettext_lazy("summons", "Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
