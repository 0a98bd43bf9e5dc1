"""Experience and lessons library, study plans and records, reflections and their originality check."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.models import TimeStampedModel


class Dimension(models.TextChoices):
    """Where a case helps (the composite index's dimensions, DOMAIN.md)."""

    COHESION = "cohesion", _("Cohesion")
    INFLUENCE = "influence", _("Influence")
    CAPACITY = "capacity", _("Governing capacity")
    OTHER = "other", _("Other")


class LinkType(models.TextChoices):
    NONE = "", _("none")
    PROJECT = "project", _("Project")
    INDICATOR = "indicator", _("Indicator")
    RECTIFICATION = "rectification", _("Rectification")


class Case(TimeStampedModel):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Good practice")
        LESSON = "lesson", _("Lesson")

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(pgettext_lazy("learning", "title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices, default=Dimension.OTHER)
    practice = models.TextField(_("what was done"))
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Separated by spaces"))
    # Where the case came from: a (type, id) pair, since those apps may come later.
    link_type = models.CharField(_("came from"), max_length=16, choices=LinkType.choices, blank=True, default="")
    link_id = models.PositiveIntegerField(_("record number"), null=True, blank=True)
    # jieba tokens, space separated: the full-text engines index this column.
    search_text = models.TextField(editable=False, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_org = models.ForeignKey(
        "orgs.Org", verbose_name=_("recommended by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    recommend_note = models.CharField(_("recommendation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("experience case")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class StudyPlan(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(pgettext_lazy("learning", "title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("study plan")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Material(TimeStampedModel):
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(StudyPlan, verbose_name=_("study plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="materials")
    title = models.CharField(pgettext_lazy("learning", "title"), max_length=120)
    url = models.URLField(_("link"), blank=True)
    body = models.TextField(_("text"), blank=True)
    minutes = models.PositiveIntegerField(_("suggested minutes"), default=30)

    class Meta:
        verbose_name = _("study material")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class StudyRecord(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")

    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    # The member's org when studying: scoping, and totals per org stay right after a transfer.
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    material = models.ForeignKey(Material, verbose_name=_("material"), null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    plan = models.ForeignKey(StudyPlan, verbose_name=_("study plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    studied_on = models.DateField(_("studied on"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("study record")
        ordering = ["-studied_on", "-id"]
        constraints = [
            # Recorded once: the same member, material and day is one record.
            models.UniqueConstraint(fields=["member", "material", "studied_on"], name="study_record_once"),
        ]


class Source(TimeStampedModel):
    """A registered text that reflections must not copy (a speech, an article)."""

    title = models.CharField(pgettext_lazy("learning", "title"), max_length=200)
    body = models.TextField(_("text"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("registered source")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Reflection(TimeStampedModel):
    class Verdict(models.TextChoices):
        ORIGINAL = "original", _("original")
        FLAGGED = "flagged", _("possible copy")
        CLEARED = "cleared", _("reviewed: original")

    member = models.ForeignKey("orgs.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    material = models.ForeignKey(Material, verbose_name=_("material"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reflections")
    title = models.CharField(pgettext_lazy("learning", "title"), max_length=120)
    body = models.TextField(_("reflection"))
    verdict = models.CharField(_("originality"), max_length=10, choices=Verdict.choices, default=Verdict.ORIGINAL, db_index=True)
    score = models.FloatField(_("highest overlap"), default=0)

    class Meta:
        verbose_name = _("study reflection")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class DocKind(models.TextChoices):
    REFLECTION = "reflection", _("reflection")
    SOURCE = "source", _("registered source")


class ReflectionMatch(models.Model):
    """A flagged overlap, with the passages side by side (kept as checked then)."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(max_length=10, choices=DocKind.choices)
    other_id = models.PositiveBigIntegerField()
    other_title = models.CharField(max_length=200)
    other_org = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    query_containment = models.FloatField()
    doc_containment = models.FloatField()
    passages = models.JSONField(default=list)

    class Meta:
        ordering = ["-query_containment", "id"]


class Signature(models.Model):
    """MinHash signatures (128 x uint32 per window): the LSH index is rebuilt from these."""

    kind = models.CharField(max_length=10, choices=DocKind.choices)
    doc_id = models.PositiveBigIntegerField()
    window = models.PositiveSmallIntegerField(default=0)
    minhash = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "doc_id", "window"], name="signature_once")]


class SynonymGroup(models.Model):
    """Words a copier swaps for one another; the first is the canonical form."""

    words = models.CharField(_("words"), max_length=200, unique=True, help_text=_("Separated by spaces"))

    class Meta:
        verbose_name = _("synonym group")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.words
