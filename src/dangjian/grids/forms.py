from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.forms import DateInput
from dangjian.grids.models import GridStaff, PlanKind
from dangjian.orgs.models import Member

DATE = DateInput()


class HouseholdForm(forms.Form):
    address = forms.CharField(label=pgettext_lazy("household", "Address"), max_length=200, required=False)
    head_name = forms.CharField(label=_("Head of household"), max_length=50, required=False)
    phone = forms.CharField(label=pgettext_lazy("household", "Phone"), max_length=20, required=False)
    size = forms.IntegerField(label=_("People"), initial=1, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class LinkForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    household = forms.ModelChoiceField(label=_("Household"), queryset=None)

    def __init__(self, *args, members, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["household"].queryset = households


class HouseholdVisitForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=None)
    visitor = forms.ModelChoiceField(label=_("Visiting member"), queryset=Member.objects.none(), required=False)
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, households, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["visitor"].queryset = members


class PlanForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    visits_per_member = forms.IntegerField(label=_("Visits per member"), initial=1)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class MemberVisitForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class GridForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Community"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    code = forms.CharField(label=pgettext_lazy("grid", "Code"), max_length=32, required=False)
    keywords = forms.CharField(label=_("Address keywords"), max_length=300, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=GridStaff.Role.choices)


# --- Corrections: the reason is checked by the service, so its message shows on the field.

def _reason_field(label):
    return forms.CharField(label=label, max_length=200, required=False)


class HouseholdCorrectForm(forms.Form):
    prefix = "fix"  # three forms with a reason on one page: distinct ids
    address = forms.CharField(label=pgettext_lazy("household", "Address"), max_length=200, required=False)
    # Shown masked on the page: not filled in, so the form never reveals them.
    head_name = forms.CharField(label=_("Head of household"), max_length=50, required=False,
                                help_text=_("Leave blank to keep it as it is."))
    phone = forms.CharField(label=pgettext_lazy("household", "Phone"), max_length=20, required=False,
                            help_text=_("Leave blank to keep it as it is."))
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)
    size = forms.IntegerField(label=_("People"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    reason = _reason_field(_("Reason for the correction"))

    def changes(self) -> dict:
        """The service's keyword arguments: None keeps a field as it is."""
        d = self.cleaned_data
        return {
            "address": d["address"], "note": d["note"], "size": 0 if d["size"] is None else d["size"],
            "head_name": d["head_name"] or None,
            "phone": "" if d["clear_phone"] else (d["phone"] or None),
        }


class HouseholdMoveForm(forms.Form):
    prefix = "move"
    grid = forms.ModelChoiceField(label=_("Move to grid"), queryset=None)
    reason = _reason_field(_("Reason for the move"))

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids


class HouseholdErrorForm(forms.Form):
    prefix = "error"
    reason = _reason_field(_("Why was this household entered by mistake?"))


class GridStatusForm(forms.Form):
    reason = _reason_field(_("Reason"))


class StaffRemoveForm(forms.Form):
    post = forms.ModelChoiceField(label=_("Grid staff"), queryset=None)
    reason = _reason_field(_("Reason"))

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["post"].label_from_instance = lambda p: f"{p.user} · {p.get_role_display()}"


class GridCorrectForm(forms.Form):
    prefix = "gridfix"
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    code = forms.CharField(label=pgettext_lazy("grid", "Code"), max_length=32, required=False)
    keywords = forms.CharField(label=_("Address keywords"), max_length=300, required=False,
                               help_text=_("Appeals already routed keep their grid; new appeals follow the new keywords."))
    reason = _reason_field(_("Reason for the correction"))


def _resident_label(resident) -> str:
    # Masked: choosing a resident must not reveal names or phones.
    return f"{resident.name_masked} · {resident.phone_masked}" if resident.phone else resident.name_masked


class ResidentForm(forms.Form):
    prefix = "resident"
    name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    phone = forms.CharField(label=pgettext_lazy("household", "Phone"), max_length=20, required=False)


class _ResidentChoice(forms.Form):
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=None)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = _resident_label


class ResidentCorrectForm(_ResidentChoice):
    prefix = "resfix"
    name = forms.CharField(label=_("Full name"), max_length=50, required=False,
                           help_text=_("Leave blank to keep it as it is."))
    phone = forms.CharField(label=pgettext_lazy("household", "Phone"), max_length=20, required=False,
                            help_text=_("Leave blank to keep it as it is."))
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)
    reason = _reason_field(_("Reason for the correction"))

    def changes(self) -> dict:
        """The service's keyword arguments: None keeps a field as it is."""
        d = self.cleaned_data
        return {"name": d["name"] or None, "phone": "" if d["clear_phone"] else (d["phone"] or None)}


class ResidentErrorForm(_ResidentChoice):
    prefix = "reserror"
    reason = _reason_field(_("Why was this resident entered by mistake?"))


class LinkEndForm(forms.Form):
    prefix = "unlink"
    link = forms.ModelChoiceField(label=_("Member-household link"), queryset=None)
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, required=False,
                               help_text=_("Left empty: today."))
    reason = _reason_field(_("Reason for ending the link"))

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = links
        self.fields["link"].label_from_instance = lambda link: _("%(member)s, since %(since)s") % {
            "member": link.member.name, "since": f"{link.since:%Y-%m-%d}"}
