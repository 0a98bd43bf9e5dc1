from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput, target_metric_choices
from dangjian.projects.models import Project

DATE = DateInput()


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["org", "kind", "title", "aim", "starts_on", "ends_on", "budget", "partners", "partner_units"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "aim": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, orgs=None, partner_orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
        if partner_orgs is not None:
            self.fields["partners"].queryset = partner_orgs
        self.fields["partners"].required = False
        if self.instance.pk:
            del self.fields["org"]
            del self.fields["partners"]


class TargetForm(forms.Form):
    name = forms.CharField(label=_("Target"), max_length=120)
    metric_code = forms.ChoiceField(label=_("Bound to recorded work"), required=False, choices=())
    unit = forms.CharField(label=_("Unit"), max_length=20)
    baseline = forms.DecimalField(label=_("Baseline"), initial=0, max_digits=12, decimal_places=2)
    target_value = forms.DecimalField(label=_("Target value"), max_digits=12, decimal_places=2)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_code"].choices = target_metric_choices()


class ReportForm(forms.Form):
    value = forms.DecimalField(label=_("Reported value"), max_digits=12, decimal_places=2)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=120)
    due_on = forms.DateField(label=_("Deadline"), widget=DATE)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence file"), required=False)


class SpendingForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=120)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    spent_on = forms.DateField(label=_("Date"), widget=DATE)


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    score = forms.IntegerField(label=_("Acceptance score"), required=False, min_value=0, max_value=100)
