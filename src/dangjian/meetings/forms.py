from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.forms import DateInput, DateTimeInput
from dangjian.meetings.models import Frequency, Measure, MeetingType, Outcome
from dangjian.orgs.models import Member, OrgKind, Status


def lecturers(org):
    """Who may lecture the org: its members and the members of the organisations above (a 党委书记 lectures a branch)."""
    step = type(org).steplen
    paths = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    return (Member.objects.filter(status=Status.ACTIVE, org__path__in=paths) | Member.objects.filter(
        status=Status.ACTIVE, org__path__startswith=org.path)).distinct().order_by("name", "id")


class MeetingForm(forms.Form):
    meeting_type = forms.ChoiceField(label=_("meeting type"), choices=MeetingType.choices)
    starts_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("place"), max_length=100)
    topic = forms.CharField(label=_("topic"), max_length=200)
    host = forms.ModelChoiceField(label=_("host"), queryset=None, required=False)
    lecturer = forms.ModelChoiceField(
        label=_("lecturer"), queryset=None, required=False,
        help_text=_("Party lectures only: who gives it. The secretary gives at least one a year."))

    def __init__(self, *args, roster, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = roster
        self.fields["lecturer"].queryset = lecturers(org) if org is not None else roster
        if org is not None and "meeting_type" in self.fields:
            # A group holds group meetings only, a branch every other kind: offer only what the org may hold.
            is_group = org.kind == OrgKind.GROUP
            self.fields["meeting_type"].choices = [
                (v, label) for v, label in MeetingType.choices if (v == MeetingType.GROUP) == is_group]
            self.fields["meeting_type"].initial = MeetingType.GROUP if is_group else MeetingType.BRANCH_GENERAL


class MinutesForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("actual date and time"), widget=DateTimeInput(), required=False,
        help_text=_("Leave empty if the meeting took place as planned."),
    )
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class RecordForm(MeetingForm):
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}))


class PlanEditForm(MeetingForm):
    meeting_type = None  # a different type of meeting is a different meeting
    reason = forms.CharField(label=_("reason for the change"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=200)


class CorrectRecordForm(MinutesForm):
    reason = forms.CharField(label=_("reason for the correction"), max_length=200)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("attachment (JPG, PNG or PDF, at most 10 MB)"))


class AppraisalForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    year = forms.IntegerField(label=_("year"), min_value=1921)
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Required for excellent, basically qualified and unqualified."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["year"].initial = timezone.localdate().year


class RuleForm(forms.Form):
    every_months = forms.TypedChoiceField(label=_("frequency"), choices=Frequency.choices, coerce=int)


class LifeRuleForm(forms.Form):
    first_warning_months = forms.IntegerField(label=_("first warning after (months)"), min_value=1, max_value=24)
    second_warning_months = forms.IntegerField(label=_("second warning after (months)"), min_value=1, max_value=24)
    limit_months = forms.IntegerField(label=_("regarded as having left after (months)"), min_value=1, max_value=24)


class TalkForm(forms.Form):
    talker = forms.ModelChoiceField(label=_("talked"), queryset=None,
                                    help_text=_("Usually the secretary or a committee member."))
    member = forms.ModelChoiceField(label=_("with member"), queryset=None)
    held_on = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("what was talked about"), max_length=200)

    def __init__(self, *args, org, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talker"].queryset = lecturers(org)
        self.fields["talker"].initial = org.secretary_id
        self.fields["member"].queryset = roster


class FollowUpForm(forms.Form):
    """One step of the follow-up of an unqualified member; which fields count depends on `action` (the
    service checks them: meetings.services.followup_step)."""

    action = forms.ChoiceField(choices=[("decide", "decide"), ("review", "review"), ("refused", "refused"),
                                        ("end", "end")], widget=forms.HiddenInput)
    measure = forms.ChoiceField(label=_("decision"), choices=[("", "---------"), *Measure.choices], required=False)
    corrected = forms.TypedChoiceField(
        label=_("result of the review"), required=False, coerce=lambda v: v == "yes", empty_value=None,
        choices=[("", "---------"), ("yes", pgettext_lazy("unqualified", "corrected")), ("no", _("not corrected"))])
    decided_on = forms.DateField(label=_("branch meeting decided on"), widget=DateInput(), required=False)
    deadline = forms.DateField(label=_("correct by"), widget=DateInput(), required=False,
                               help_text=_("Generally six months to a year after the decision"))
    approved_on = forms.DateField(label=_("superior approved on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class GoodReasonForm(forms.Form):
    reason = forms.CharField(label=_("good reason"), max_length=200,
                             help_text=_("For example: in hospital, working away with the branch's knowledge"))
    starts_on = forms.DateField(label=_("from"), widget=DateInput())
    ends_on = forms.DateField(label=_("to"), widget=DateInput())
