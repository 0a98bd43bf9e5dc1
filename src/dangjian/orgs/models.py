from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from dangjian.core import crypto
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import TimeStampedModel


class OrgKind(models.TextChoices):
    COUNTY_COMMITTEE = "county", _("County/district committee")
    STREET_COMMITTEE = "street", _("Street/township working committee")
    COMMUNITY_COMMITTEE = "community", _("Community Party committee")
    GRASSROOTS_COMMITTEE = "grassroots", _("Grassroots Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    JOINT_BRANCH = "joint_branch", _("Joint branch")
    GROUP = "group", _("Party group")


# Kinds whose members form the roster of a branch (a member belongs to one).
BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.GROUP)


class Org(MP_Node):
    """A node of the organisation tree, any depth (materialised path)."""

    steplen = 4

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices, db_index=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    term_start = models.DateField(_("committee term start"), null=True, blank=True)
    term_end = models.DateField(_("committee term end"), null=True, blank=True)
    secretary = models.ForeignKey(
        "Member", verbose_name=_("secretary"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("postgraduate")
    BACHELOR = "bachelor", _("bachelor")
    COLLEGE = "college", _("junior college")
    SECONDARY = "secondary", _("senior/vocational secondary")
    JUNIOR = "junior", _("junior secondary or below")


class Category(models.TextChoices):
    FULL = "full", _("full member")
    PROBATIONARY = "probationary", _("probationary member")


class Status(models.TextChoices):
    ACTIVE = "active", _("on the roll")
    LOST_CONTACT = "lost_contact", _("lost contact")
    TRANSFERRED_OUT = "transferred_out", _("transferred out")
    DECEASED = "deceased", _("deceased")
    # Membership ended by a decision of the branch meeting approved by the superior (党章第七条、第九条):
    # off the roll, never back by a status change (a new application starts again).
    REMOVED = "removed", _("removed from the Party")
    LEFT = "left", _("left the Party")
    PROBATION_CANCELLED = "probation_cancelled", _("probationary membership cancelled")
    # Created by mistake: kept for the record, out of every list, count and metric.
    ENTERED_IN_ERROR = "entered_in_error", _("entered in error")


# core.references.ARTICLES["member.lapsed"], ["member.unqualified"], ["recruit.cancel"].
MEMBERSHIP_ENDED = (Status.REMOVED, Status.LEFT, Status.PROBATION_CANCELLED)


class Employment(models.TextChoices):
    """Drives the dues base and bracket (2008 党费规定 一、第一条至第六条; core.references.ARTICLES)."""

    EMPLOYED = "employed", _("employed")
    RETIRED = "retired", _("retired")
    STUDENT = "student", _("student")
    FARMER = "farmer", _("rural, no fixed salary")
    UNEMPLOYED = "unemployed", _("unemployed")
    RELIEF = "relief", _("living on relief or the subsistence allowance")
    ANNUAL_SALARY = "annual_salary", _("paid an annual salary")
    SELF_EMPLOYED = "self_employed", _("self-employed, no monthly income")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("tag")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Member(TimeStampedModel):
    # No index of its own: member_org_status (org, status) leads with it and serves every lookup by org.
    org = models.ForeignKey(
        Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="members", db_index=False
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    # Identifiers: ciphertext plus a keyed blind index for exact lookup.
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_index = models.CharField(max_length=40, unique=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    joined_on = models.DateField(_("joined the Party on"))
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.FULL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    employment = models.CharField(_("employment"), max_length=20, choices=Employment.choices, default=Employment.EMPLOYED)
    job = models.CharField(_("job"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="members")

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["org", "status"], name="member_org_status")]

    def __str__(self) -> str:
        return self.name

    # Sensitive values never reach a template unmasked by accident.
    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return crypto.mask_phone(self.phone)


class StatusChange(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # For a membership ended (MEMBERSHIP_ENDED): the branch meeting's decision; changed_on is the approval.
    decided_on = models.DateField(_("branch meeting decided on"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-id"]


class Transfer(models.Model):
    """Transfer of organisational relationship (组织关系转接).

    Within the installation a transfer moves the member in one step when it is
    completed; a member therefore never belongs to two branches at once.
    """

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("within the platform")
        OUT = "out", _("out of the platform")
        IN = "in", _("into the platform")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        COMPLETED = "completed", _("completed")
        REJECTED = "rejected", _("rejected")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    from_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external_org_name = models.CharField(_("external organisation"), max_length=200, blank=True)
    letter_number = models.CharField(_("introduction letter number"), max_length=50, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The introduction letter (core.references.ARTICLES["transfer.letter"]): valid until (the member reports
    # to the receiving organisation by then), and the month dues are paid to.
    valid_until = models.DateField(_("letter valid until (report by)"), null=True, blank=True)
    dues_paid_to = models.DateField(_("dues paid up to (month)"), null=True, blank=True)
    late_reason = models.CharField(_("reason for reporting after the letter expired"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("transfer")
        ordering = ["-requested_on", "-id"]
        constraints = [
            # At most one open transfer per member.
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(state="pending"), name="one_pending_transfer_per_member"
            )
        ]
