"""Recruitment (发展党员): the applicant's record and the dated steps of the pipeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import crypto
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import CorrectionRecord, TimeStampedModel
from dangjian.orgs.models import Education, Employment, Gender


class RecruitRules(models.Model):
    """Time limits of the pipeline: one row (pk=1), seeded with the 2014 rules' defaults."""

    min_age = models.PositiveSmallIntegerField(_("minimum age at application"), default=18)
    talk_within_months = models.PositiveSmallIntegerField(_("talk within (months of application)"), default=1)
    activist_min_months = models.PositiveSmallIntegerField(_("activist at least (months) before candidate"), default=12)
    training_min_days = models.PositiveSmallIntegerField(_("candidate training at least (days)"), default=3)
    training_min_hours = models.PositiveSmallIntegerField(_("or at least (class hours)"), default=24)
    approval_within_months = models.PositiveSmallIntegerField(_("superior approval within (months)"), default=3)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=12)
    extension_min_months = models.PositiveSmallIntegerField(_("probation extension at least (months)"), default=6)
    extension_max_months = models.PositiveSmallIntegerField(_("probation extension at most (months)"), default=12)
    remind_days = models.PositiveSmallIntegerField(_("remind before a deadline (days)"), default=14)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recruitment rules")


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    ACTIVIST = "activist", _("activist")
    CANDIDATE = "candidate", _("development candidate")
    PROBATIONARY = "probationary", _("probationary member")
    FULL = "full", _("full member")
    CLOSED = "closed", _("closed")


class Applicant(TimeStampedModel):
    """Everything the pipeline knows about a person; becomes the Member record without re-typing."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="applicants")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_index = models.CharField(max_length=40, unique=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    employment = models.CharField(_("employment"), max_length=20, choices=Employment.choices, default=Employment.EMPLOYED)
    job = models.CharField(_("job"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    applied_on = models.DateField(_("applied on"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT, db_index=True)
    extension_months = models.PositiveSmallIntegerField(_("probation extended by (months)"), default=0)
    extension_on = models.DateField(_("extension decided on"), null=True, blank=True)
    extension_reason = models.CharField(_("extension reason"), max_length=200, blank=True)
    # 党章第七条: the branch meeting votes the extension, the superior committee approves it.
    extension_vote = models.JSONField(_("branch meeting vote on the extension"), default=dict, blank=True)
    extension_approved_on = models.DateField(_("extension approved by the superior on"), null=True, blank=True)
    member = models.OneToOneField("orgs.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="recruitment")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("recruitment case")
        ordering = ["org__path", "applied_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)


class Step(models.Model):
    """One dated step of the pipeline, with the bodies' opinions and the materials kept."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("step"), max_length=30)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    materials = models.JSONField(_("materials kept"), default=list, blank=True)
    passed = models.BooleanField(_("passed / approved"), default=True)
    # Branch general meeting votes (支部大会): voting full members expected, present, and the ballot.
    votes_eligible = models.PositiveSmallIntegerField(_("full members entitled to vote"), null=True, blank=True)
    votes_present = models.PositiveSmallIntegerField(_("present and voting"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstained"), null=True, blank=True)
    # Written opinions of absent full members entitled to vote: counted in the tally (细则第四章), so a
    # written "for" is part of votes_for.
    votes_written = models.PositiveSmallIntegerField(_("written opinions of absent members"), null=True, blank=True)
    training_days = models.PositiveSmallIntegerField(_("training days"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("class hours"), null=True, blank=True)
    # Set when a time limit was missed (recorded anyway: the date is a fact): the rule broken.
    late = models.CharField(_("time limit missed"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment step")
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["applicant", "code"], name="one_step_per_code")]


class StepCorrection(CorrectionRecord):
    """A recorded step corrected or withdrawn: what it was before, why, who, when.

    A withdrawn step leaves Step, so every reader of Step (the case page, the
    to-do list, the on-schedule metric) sees only valid steps without a filter;
    its full copy stays here.
    """

    class Kind(models.TextChoices):
        CORRECT = "correct", _("corrected")
        WITHDRAW = "withdraw", _("withdrawn")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="corrections")
    code = models.CharField(_("step"), max_length=30)
    kind = models.CharField(_("kind of change"), max_length=10, choices=Kind.choices)
    original_id = models.PositiveBigIntegerField(_("original step number"))
    # `before` and `after` hold {field: value}; a withdrawal keeps the whole step in `before`.

    class Meta(CorrectionRecord.Meta):
        verbose_name = _("recruitment step correction")


# core.references.ARTICLES["recruit.activist"] (细则第三章): the organisation appoints one or two full members
# as each activist's mentors (培养联系人); they report and the branch reviews the activist every half year.
class Mentor(models.Model):
    """A 培养联系人 appointed for an activist."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="mentors")
    member = models.ForeignKey("orgs.Member", verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="+")
    appointed_on = models.DateField(_("appointed on"))
    # A mentor replaced (moved away, fell ill, left the branch): the row stays for the reviews it reported.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for changing the mentor"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activist mentor")
        ordering = ["appointed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["applicant", "member"], condition=models.Q(ended_on__isnull=True),
                                               name="one_current_mentor_row_per_member")]


class ActivistReview(models.Model):
    """The branch's half-yearly review (考察) of an activist, on the mentor's report."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="reviews")
    on = models.DateField(_("reviewed on"))
    mentor = models.ForeignKey("orgs.Member", verbose_name=_("reporting mentor"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("review"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activist review")
        ordering = ["on", "id"]
