"""One questionnaire engine (questionnaire, question, answer) under every survey and evaluation form.

Anonymity by construction: a Token is a keyed hash and a used flag, nothing
else; a Response has a random UUID key and a submission day, and no link to a
token, a user, a time finer than the day or an address. See docs/assessment.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimeStampedModel


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    RATING = "rating", _("rating 1-5")
    TEXT = "text", _("text")


class Questionnaire(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("questionnaire")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")  # the audit log names the record by it
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Subject(models.TextChoices):
    ORG = "org", _("the organisation")
    SECRETARY = "secretary", _("the secretary")
    SURVEY = "survey", _("a survey")


class Audience(models.TextChoices):
    MEMBERS = "members", _("members")
    RESIDENTS = "residents", _("residents")


class Round(TimeStampedModel):
    """One evaluation (or survey) round: who is evaluated, by whom, when."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds")
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation evaluated"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices, default=Subject.ORG)
    audience = models.CharField(_("evaluated by"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    min_responses = models.PositiveSmallIntegerField(_("minimum responses before results are shown"), default=5)
    tokens_issued = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("evaluation round")
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Token(models.Model):
    """A one-time link: only its HMAC is stored, and whether it was used. No holder, no time."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    submitted_on = models.DateField()  # the day only: no time to line up with anything


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)


class MemberLink(models.Model):
    """A member took their one link to a round from their home page.

    Only that they took it is kept, like a name ticked on a ballot register: which
    link (the token is stored as a bare hash, shuffled among the sheet's) and so which
    answers are theirs is not.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="one_link_per_member_and_round")]
