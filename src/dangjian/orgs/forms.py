"""Forms check the shape of input only; the rules live in services and rules.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model, model_to_dict
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts import roles
from dangjian.core import crypto
from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.forms import DateInput, MonthField
from dangjian.core.identifiers import identifier_changes, looks_like_identifier, protect_identifiers
from dangjian.core.scoping import visible_orgs
from dangjian.orgs.models import (
    BRANCH_KINDS,
    Category,
    Education,
    Gender,
    Member,
    Org,
    OrgKind,
    Status,
    Tag,
    Transfer,
)

ALL = _("All")


def _blank(choices):
    return [("", ALL), *choices]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's {field: message} errors inline; unknown fields go on top."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50, widget=forms.TextInput(
        attrs={"placeholder": _("Name, ID number or phone"), "type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(Status.choices))
    category = forms.ChoiceField(label=_("Category"), required=False, choices=_blank(Category.choices))
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=_blank(Gender.choices))
    education = forms.ChoiceField(label=_("Education"), required=False, choices=_blank(Education.choices))
    tag = forms.ModelChoiceField(label=_("Tag"), required=False, queryset=Tag.objects.all(), empty_label=ALL)
    # A searched ID number or phone travels in URLs only as its blind index.
    idx = forms.RegexField(regex=r"^[0-9a-f]{40}$", required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        if "idx" in data:
            data["index"] = data.pop("idx")
        return data

    def query(self) -> dict:
        """The filters as they may appear in a URL: an identifier typed in q becomes its blind index."""
        data = {k: v for k, v in self.data.items() if k in self.fields and k != "csrfmiddlewaretoken" and v}
        if data.get("q"):
            data.pop("idx", None)  # a new search replaces the one before
        if looks_like_identifier(data.get("q", "")):
            data["idx"] = crypto.blind_index(data.pop("q"))
        return data


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(label=_("Why was this record created by mistake?"), max_length=200)


MEMBER_FIELDS = [
    "name", "gender", "ethnicity", "id_number", "birth_date", "phone", "education", "employment",
    "joined_on", "full_member_on", "category", "job", "address",
]


class MemberForm(forms.Form):
    """Roster fields of a member; on create also the branch, chosen within EDIT_ROSTER scope."""

    def __init__(self, *args, user, instance: Member | None = None, **kwargs):
        if instance is not None:
            # The identifiers are left out: the page never carries them (protect_identifiers).
            shown = [f for f in MEMBER_FIELDS if f not in ("id_number", "phone")]
            kwargs.setdefault("initial", {**model_to_dict(instance, fields=shown),
                                          "tags": list(instance.tags.all())})
        super().__init__(*args, **kwargs)
        if instance is None:
            self.fields["org"] = forms.ModelChoiceField(
                label=_("Branch of membership"),
                queryset=visible_orgs(user, roles.EDIT_ROSTER).filter(kind__in=BRANCH_KINDS, is_active=True),
            )
        self.fields.update(fields_for_model(
            Member, fields=MEMBER_FIELDS,
            widgets={
                "id_number": forms.TextInput(attrs={"maxlength": 18, "autocomplete": "off", "data-id-number": ""}),
                "phone": forms.TextInput(attrs={"maxlength": 20, "inputmode": "tel", "autocomplete": "off"}),
                "birth_date": DateInput(), "joined_on": DateInput(), "full_member_on": DateInput(),
            },
        ))
        self.fields["tags"] = forms.ModelMultipleChoiceField(
            label=_("Tags"), required=False, queryset=Tag.objects.all(), widget=forms.CheckboxSelectMultiple,
        )
        self.fields["name"].label = pgettext_lazy("person", "Name")  # the model's "name" reads 名称, right for orgs only
        self.fields["id_number"].help_text = _("Birth date and gender are filled in from the ID number.")
        if instance is not None:
            protect_identifiers(self, stored={"id_number": instance.id_number, "phone": instance.phone},
                                masks={"id_number": mask_id_number, "phone": mask_phone}, clearable=("phone",))

    def member_data(self) -> dict:
        data = identifier_changes(self, self.cleaned_data)
        data.pop("tags", None)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"),
                               choices=[c for c in Status.choices if c[0] != Status.ENTERED_IN_ERROR])
    changed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate,
                                 help_text=_("For removal, leaving the Party or cancelled probation: the date the "
                                             "superior committee approved"))
    decided_on = forms.DateField(label=_("Branch meeting decided on"), widget=DateInput(), required=False,
                                 help_text=_("Only for removal, leaving the Party or cancelled probation "
                                             "(Party Constitution, articles 7 and 9)"))
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.member.status:
            raise ValidationError(_("The member already has this status."))
        return status

    def clean_changed_on(self):
        day = self.cleaned_data["changed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


class TransferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), widget=forms.RadioSelect,
        choices=[c for c in Transfer.Kind.choices if c[0] != Transfer.Kind.IN],
        initial=Transfer.Kind.INTERNAL,
    )
    to_org = forms.CharField(
        label=_("Receiving branch"), required=False, max_length=100,
        help_text=_("Type a code or part of a name and pick from the list."),
        widget=forms.TextInput(attrs={
            "list": "org-options", "autocomplete": "off",
            "hx-get": reverse_lazy("orgs:branch_options"), "hx-trigger": "input changed delay:300ms",
            "hx-target": "#org-options", "hx-swap": "innerHTML",
        }),
    )
    external_org_name = forms.CharField(label=_("Organisation outside the platform"), required=False, max_length=200)
    letter_number = forms.CharField(label=_("Introduction letter number"), required=False, max_length=50)
    valid_until = forms.DateField(
        label=_("Letter valid until (report by)"), required=False, widget=DateInput,
        help_text=_("Blank: one month from today. Three months at most."))
    dues_paid_to = MonthField(label=_("Dues paid up to"), required=False,
                              help_text=_("Blank: taken from the dues ledger."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def clean_to_org(self) -> Org | None:
        text = self.cleaned_data["to_org"].strip()
        if not text:
            return None
        code = text.split()[0]
        org = Org.objects.filter(code=code, is_active=True).first()
        if org is None:
            raise ValidationError(_("No organisation has the code %(code)s."), params={"code": code})
        return org


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return _("%(name)s (%(org)s)") % {"name": obj.name, "org": obj.org.name}


class OrgForm(forms.Form):
    def __init__(self, *args, instance: Org | None = None, **kwargs):
        fields = ["name", "code", "kind", "founded_on", "term_start", "term_end"]
        if instance is not None:
            fields += ["is_active"]
            kwargs.setdefault("initial", model_to_dict(instance, fields=fields + ["secretary"]))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(
            Org, fields=fields,
            widgets={"founded_on": DateInput(), "term_start": DateInput(), "term_end": DateInput()},
        ))
        if instance is not None:
            self.fields["secretary"] = MemberChoiceField(
                label=_("Secretary"), required=False,
                queryset=Member.objects.filter(org__path__subtree=instance.path, status=Status.ACTIVE)
                .select_related("org").order_by("name"),
            )
        else:
            self.fields["kind"].initial = OrgKind.BRANCH


class OrgMoveForm(forms.Form):
    parent = forms.CharField(
        label=_("New parent organisation"), max_length=100,
        help_text=_("The code of an organisation you manage."),
        widget=forms.TextInput(attrs={"list": "parent-options", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_parent(self) -> Org:
        code = (self.cleaned_data["parent"].split() or [""])[0]
        org = visible_orgs(self.user, roles.EDIT_ORGS).filter(code=code).first()
        if org is None:
            raise ValidationError(_("No organisation you manage has the code %(code)s."), params={"code": code})
        return org
