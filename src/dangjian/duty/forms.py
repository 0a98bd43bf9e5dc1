from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import target_metric_choices
from dangjian.duty.models import ItemKind
from dangjian.orgs.models import OrgKind


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=ItemKind.choices)
    metric_code = forms.ChoiceField(label=_("Metric"), required=False, choices=())
    target_value = forms.DecimalField(label=_("Target value"), required=False, max_digits=12, decimal_places=2)
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_code"].choices = target_metric_choices()


class ListForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    role = forms.CharField(label=_("Post"), max_length=60, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class TemplateForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Issued by"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)
    org_kind = forms.ChoiceField(label=_("For organisations of kind"), choices=OrgKind.choices, initial=OrgKind.BRANCH)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class RateForm(forms.Form):
    rating = forms.DecimalField(label=_("Rating"), max_digits=6, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
