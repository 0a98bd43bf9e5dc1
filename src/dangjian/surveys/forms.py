from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateTimeInput
from dangjian.surveys.models import Audience, QuestionKind, Subject


class QuestionnaireForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    choices = forms.CharField(label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class RoundForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation evaluated"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    audience = forms.ChoiceField(label=_("Evaluated by"), choices=Audience.choices)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput())
    min_responses = forms.IntegerField(label=_("Minimum responses before results are shown"), initial=5, min_value=1)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class IssueForm(forms.Form):
    count = forms.IntegerField(label=_("Number of one-time links"), min_value=1, max_value=2000, initial=30)


