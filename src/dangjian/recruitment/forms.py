from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.forms import DateInput
from dangjian.core.identifiers import identifier_changes, protect_identifiers
from dangjian.orgs.models import Education, Employment, Gender, Member
from dangjian.recruitment.models import RecruitRules
from dangjian.recruitment.rules import DEFAULTS
from dangjian.recruitment.services import correctable_fields, mentor_choices


class ApplicantForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Branch"), queryset=None)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, initial="汉族")
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices], required=False)
    employment = forms.ChoiceField(label=_("Employment"), choices=Employment.choices)
    job = forms.CharField(label=_("Job"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    applied_on = forms.DateField(label=_("Application received on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, orgs=None, applicant=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is None:  # correcting a case: the branch and application date stay
            del self.fields["org"], self.fields["applied_on"]
        else:
            self.fields["org"].queryset = orgs
        if applicant is not None:
            protect_identifiers(self, stored={"id_number": applicant.id_number, "phone": applicant.phone},
                                masks={"id_number": mask_id_number, "phone": mask_phone}, clearable=("phone",))

    def applicant_data(self) -> dict:
        return identifier_changes(self, self.cleaned_data)


class StepForm(forms.Form):
    code = forms.ChoiceField(label=_("Step"))
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    materials = forms.MultipleChoiceField(label=_("Materials kept"), choices=(),
                                          required=False, widget=forms.CheckboxSelectMultiple)
    passed = forms.BooleanField(label=_("Approved (for approvals)"), required=False, initial=True)
    votes_eligible = forms.IntegerField(label=_("Full members entitled to vote"), min_value=0, required=False)
    votes_present = forms.IntegerField(label=_("Present and voting"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstained"), min_value=0, required=False)
    votes_written = forms.IntegerField(
        label=_("Written opinions of absent members"), min_value=0, required=False,
        help_text=_("Absent full members entitled to vote who gave their opinion in writing before the meeting: "
                    "their votes are counted above"))
    training_days = forms.IntegerField(label=_("Training days"), min_value=0, required=False)
    training_hours = forms.IntegerField(label=_("Class hours"), min_value=0, required=False)
    note = forms.CharField(label=_("Note / opinion"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(s.code, f"{s.number}. {s.name}") for s in steps]
        offered = sorted({m for s in steps for m in s.materials})
        self.fields["materials"].choices = [(m, m) for m in offered]

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v is not None and v != ""}
        data.setdefault("materials", [])
        data["passed"] = bool(self.cleaned_data.get("passed"))
        return data


class StepCorrectForm(StepForm):
    """What a recorded step of this kind holds, to be corrected, and why."""

    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, steps=[step], **kwargs)
        keep = {*correctable_fields(step), "reason"}
        for name in [n for n in self.fields if n not in keep]:
            del self.fields[name]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ExtendForm(forms.Form):
    """党章第七条: voted by the branch meeting when probation ends, approved by the superior committee."""

    months = forms.IntegerField(label=_("Extend by (months)"), min_value=1)
    on = forms.DateField(label=_("Branch meeting decided on"), widget=DateInput, initial=timezone.localdate)
    votes_eligible = forms.IntegerField(label=_("Full members entitled to vote"), min_value=0)
    votes_present = forms.IntegerField(label=_("Present and voting"), min_value=0)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstained"), min_value=0, required=False)
    votes_written = forms.IntegerField(label=_("Written opinions of absent members"), min_value=0, required=False)
    approved_on = forms.DateField(label=_("Superior committee approved on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CloseForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate,
                         help_text=_("For a probationary member: the date the branch meeting decided to cancel"))
    approved_on = forms.DateField(
        label=_("Superior committee approved on"), widget=DateInput, required=False,
        help_text=_("Only when cancelling a probationary membership: the superior's approval ends the membership"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RulesForm(forms.ModelForm):
    class Meta:
        model = RecruitRules
        fields = list(DEFAULTS)

    def defaults(self):
        return [(self[name], DEFAULTS[name]) for name in self.Meta.fields]


class MentorForm(forms.Form):
    """细则第三章: one or two full members of the branch as the activist's mentors (培养联系人)."""

    member = forms.ModelChoiceField(label=_("Mentor (a full member)"), queryset=None)
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, applicant, **kwargs):
        # Its own element ids: the case page holds several forms (the step form has a date field too).
        kwargs.setdefault("auto_id", "mentor_%s")
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = mentor_choices(applicant)


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.member.name


class MentorEndForm(forms.Form):
    """A mentor replaced: who, from when and why (the row stays for the reviews they reported)."""

    mentor = MentorChoiceField(label=_("Mentor"), queryset=None)
    on = forms.DateField(label=_("Ended on"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason for changing the mentor"), max_length=200)

    def __init__(self, *args, applicant, **kwargs):
        kwargs.setdefault("auto_id", "mentor_end_%s")
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = applicant.mentors.filter(ended_on__isnull=True).select_related("member")


class ReviewForm(forms.Form):
    """细则第三章: the branch reviews each activist every half year, on the mentor's report."""

    on = forms.DateField(label=_("Reviewed on"), widget=DateInput, initial=timezone.localdate)
    mentor = forms.ModelChoiceField(label=_("Reporting mentor"), queryset=None, required=False)
    content = forms.CharField(label=_("Review"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, applicant, **kwargs):
        # Its own element ids: the step form on the same page has an "on" field too (id_on).
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Member.objects.filter(pk__in=applicant.mentors.values("member"))
