from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.appeals import selectors
from dangjian.appeals.models import AppealCategory, AppealConfig, AssigneeKind, Channel, Rating
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
    # Choices are checked by the service (so an unknown or retired value gets its message).
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = selectors.category_choices(blank=_("(let us decide)"))


class PublicAppealForm(_TextFields):
    org = forms.ModelChoiceField(
        label=_("Community"), queryset=Org.objects.filter(kind=OrgKind.COMMUNITY_COMMITTEE, is_active=True).order_by("path"),
        empty_label=_("Choose your community"), required=False,
    )
    # Asked in words ("what is three plus five?"); the answer may be written in digits or in words (8 or eight).
    answer = forms.CharField(label=_("Check question"), max_length=4, required=False,
                             help_text=_("Write the number, in digits or in words (8 or eight)."),
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
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
    # People behind the case: the household it comes from links it to the household's grid and 联户 member.
    household = forms.ModelChoiceField(
        label=_("Household the appeal comes from"), required=False, queryset=None,
        help_text=_("Optional. Links the case to the household's grid and the member serving it; a phone "
                    "registered for one household of the community finds it without this."))

    field_order = ["org", "channel", "text", "address", "household", "category", "resident_name", "phone",
                   "is_complex"]

    def __init__(self, *args, orgs=None, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
        from dangjian.grids.models import Household

        self.fields["household"].queryset = households if households is not None else Household.objects.none()
        if households is not None:
            self.fields["household"].label_from_instance = lambda h: f"{h.grid.name} · {h.address}"


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
    # A CharField: the service refuses an unknown or retired code with its own message.
    category = forms.CharField(label=_("Category"), widget=forms.Select)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False)

    def __init__(self, *args, grids=None, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from dangjian.grids.models import Grid

        self.fields["grid"].queryset = grids if grids is not None else Grid.objects.none()
        self.fields["category"].widget.choices = selectors.category_choices(include=current)


class AcceptForm(CategoriseForm):
    """受理: confirm or correct the suggested category, accept, and assign, in one submission."""

    is_complex = forms.BooleanField(label=_("Complex case"), required=False)
    assignee_kind = forms.ChoiceField(label=_("Assign to"), choices=[("", _("(assign later)")), *AssigneeKind.choices],
                                      required=False)
    assignee_name = forms.CharField(label=_("Department or unit"), max_length=100, required=False)

    field_order = ["category", "is_complex", "assignee_kind", "grid", "assignee_name"]


class FinishForm(forms.Form):
    """办结: start and resolve in one submission."""

    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class CategoryForm(forms.ModelForm):
    """The superuser's edit of one category (the code and level are fixed once made)."""

    retired = forms.BooleanField(label=_("Retired (no longer offered)"), required=False)

    class Meta:
        model = AppealCategory
        fields = ["code", "name", "parent", "default_unit", "accept_hours", "resolve_days"]
        # "Code" and "Name" read differently for an org (组织代码) and a member.
        labels = {"code": pgettext_lazy("appeal category", "Code"), "name": pgettext_lazy("appeal category", "Name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = AppealCategory.objects.filter(parent=None, retired_at=None)
        self.fields["parent"].required = False
        self.fields["code"].required = False
        if self.instance.pk:
            self.fields["retired"].initial = self.instance.is_retired
            del self.fields["code"], self.fields["parent"]
        else:
            del self.fields["retired"]

    def validate_unique(self):
        """The service checks the code (with its message)."""


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
