from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.appeals.models import AppealConfig, AssigneeKind, Category, Channel, Rating
from dangjian.appeals.services import MAX_TEXT
from dangjian.appeals.workflow import Step
from dangjian.core.forms import DateInput
from dangjian.orgs.models import Org, OrgKind


class _TextFields(forms.Form):
    text = forms.CharField(
        label=_("What is the problem?"), widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
        required=False, help_text=_("Up to 1000 characters."),
    )
    address = forms.CharField(label=pgettext_lazy("appeal", "Address"), max_length=200, required=False,
                              help_text=_("Estate, building, unit: it routes the appeal to your grid."))
    resident_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    phone = forms.CharField(label=pgettext_lazy("appeal", "Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    # Choices are checked by the service (so an unknown value gets its message).
    category = forms.CharField(label=_("Category"), required=False,
                               widget=forms.Select(choices=[("", _("(let us decide)")), *Category.choices]))


class PublicAppealForm(_TextFields):
    org = forms.ModelChoiceField(
        label=_("Community"), queryset=Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, is_active=True).order_by("path"),
        empty_label=_("Choose your community"), required=False,
    )
    answer = forms.CharField(label=_("Check question"), max_length=4, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this empty"),
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    field_order = ["org", "text", "address", "category", "resident_name", "phone", "answer"]


class StaffAppealForm(_TextFields):
    org = forms.ModelChoiceField(label=_("Community"), queryset=Org.objects.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=[
        (Channel.PHONE, Channel.PHONE.label), (Channel.WALK_IN, Channel.WALK_IN.label), (Channel.GRID, Channel.GRID.label),
    ])
    is_complex = forms.BooleanField(label=_("Complex case"), required=False)

    field_order = ["org", "channel", "text", "address", "category", "resident_name", "phone", "is_complex"]

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class StepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    is_complex = forms.BooleanField(label=_("Complex case"), required=False)
    assignee_kind = forms.ChoiceField(label=_("Assign to"), choices=[("", "—"), *AssigneeKind.choices], required=False)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False)
    assignee_name = forms.CharField(label=_("Department or unit"), max_length=100, required=False)
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dangjian.grids.models import Grid

        self.fields["grid"].queryset = grids if grids is not None else Grid.objects.none()

    def step_data(self) -> dict:
        d = self.cleaned_data
        data = {k: d.get(k) for k in ("note", "assignee_kind", "grid", "assignee_name", "resolution")}
        if d.get("step") == Step.ACCEPT:
            data["is_complex"] = d.get("is_complex")
        return data


class CategoriseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dangjian.grids.models import Grid

        self.fields["grid"].queryset = grids if grids is not None else Grid.objects.none()


class CorrectForm(CategoriseForm):
    address = forms.CharField(label=pgettext_lazy("appeal", "Address"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)


class NoteForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    text = forms.CharField(label=_("Follow-up note"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("One note a day. A submitted appeal itself cannot be changed."))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=32,
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))


YES_NO = [("yes", _("Yes, resolved")), ("no", _("No, not resolved"))]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class RateForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    # Checked by the service, so a missing answer gets its message there.
    resolved = forms.CharField(label=_("Was the problem resolved?"), required=False,
                               widget=forms.RadioSelect(choices=YES_NO))
    rating = forms.CharField(label=_("How satisfied are you?"), required=False,
                             widget=forms.RadioSelect(choices=Rating.choices))
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CallbackForm(forms.Form):
    """回访: the answer the resident gave on the phone, recorded by whoever called back."""

    resolved = forms.CharField(label=_("Was the problem resolved?"), required=False,
                               widget=forms.RadioSelect(choices=YES_NO))
    rating = forms.CharField(label=_("How satisfied is the resident?"), required=False,
                             widget=forms.RadioSelect(choices=Rating.choices))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfigForm(forms.ModelForm):
    class Meta:
        model = AppealConfig
        fields = ["accept_hours", "resolve_days", "complex_days", "rating_days"]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
