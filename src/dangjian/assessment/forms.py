from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput
from dangjian.orgs.models import OrgKind


class SchemeForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Set by"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Period starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Period ends"), widget=DateInput())
    org_kind = forms.ChoiceField(label=_("Organisations assessed (kind)"), choices=OrgKind.choices, initial=OrgKind.BRANCH)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class ConfigureForm(forms.Form):
    superior = forms.IntegerField(label=_("Weight of superior assessment (%)"), min_value=0, max_value=100)
    duty = forms.IntegerField(label=_("Weight of responsibility list (%)"), min_value=0, max_value=100)
    democratic = forms.IntegerField(label=_("Weight of democratic evaluation (%)"), min_value=0, max_value=100)
    five = forms.IntegerField(label=_("Five stars from"), min_value=1, max_value=100)
    four = forms.IntegerField(label=_("Four stars from"), min_value=1, max_value=100)
    three = forms.IntegerField(label=_("Three stars from"), min_value=1, max_value=100)
    two = forms.IntegerField(label=_("Two stars from"), min_value=1, max_value=100)
    five_star_cap = forms.IntegerField(label=_("Five-star share cap (%)"), min_value=0, max_value=100)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    max_points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100)
    guidance = forms.CharField(label=_("Scoring guidance"), required=False)


class SelfReportForm(forms.Form):
    self_report = forms.CharField(label=_("Self-report"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("Evidence file"), required=False)


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), max_digits=6, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason"))


class DeductionForm(forms.Form):
    points = forms.DecimalField(label=_("Points deducted"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason"))


class AppealForm(forms.Form):
    text = forms.CharField(label=_("Grounds of appeal"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
