from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput
from dangjian.funds.models import FundSource


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    source = forms.ChoiceField(label=_("Source of funds"), choices=FundSource.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=200,
                              help_text=_("What the money paid for, e.g. printed study materials for the Party lecture"))
    meeting = forms.ModelChoiceField(label=_("For the meeting"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("For the project"), queryset=None, required=False)

    def __init__(self, *args, meetings, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.org.name} · {m.starts_at:%Y-%m-%d} · {m.get_meeting_type_display()} · {m.topic}")
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.org.name} · {p.title}"
