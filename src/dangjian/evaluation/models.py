"""Indicators, period snapshots, indices, efficiency, grades, warnings and rectifications.

A computed period is a dated snapshot: its rows are written once by
`services.period_compute` and change only through an explicit, audited
recompute. A missing IndicatorValue row means "no data" for that org.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from dangjian.core.models import SingletonSettings, TimeStampedModel
from dangjian.core.text import month_label


class Dimension(models.TextChoices):
    COHESION = "cohesion", _("Cohesion")
    INFLUENCE = "influence", _("Influence")
    CAPACITY = "capacity", _("Governing capacity")


OVERALL = "overall"


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(TimeStampedModel):
    """One indicator, defined once: a registered metric placed in a dimension."""

    code = models.SlugField(pgettext_lazy("indicator", "code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    metric_code = models.CharField(_("metric"), max_length=60)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    explanation = models.TextField(_("explanation"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    MONTH = "month", pgettext_lazy("period kind", "month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class Weighting(models.TextChoices):
    EQUAL = "equal", _("equal weights")
    AHP = "ahp", _("AHP (pairwise judgements)")
    ENTROPY = "entropy", _("entropy")
    COMBINED = "combined", _("AHP combined with entropy")


class Aggregation(models.TextChoices):
    WEIGHTED_SUM = "weighted_sum", _("weighted sum")
    TOPSIS = "topsis", _("TOPSIS")


class GradeMode(models.TextChoices):
    STARS = "stars", _("stars (five to one)")
    LEVELS = "levels", _("advanced / good / average / lagging")


class CapRounding(models.TextChoices):
    HALF_UP = "half_up", _("round half up (2 or 3 assessed: one may be capped grade)")
    FLOOR = "floor", _("round down (never above the share; 3 or fewer assessed: none)")
    CEIL = "ceil", _("round up (at least one whenever any is assessed)")


class GradingScheme(TimeStampedModel):
    """Thresholds on the overall index (0-100), quota caps and the weak-and-lax rules."""

    name = models.CharField(_("name"), max_length=60)
    mode = models.CharField(_("grades"), max_length=8, choices=GradeMode.choices, default=GradeMode.LEVELS)
    # [[lowest score, grade code], ...] from the best grade down; below the last: the lowest grade.
    thresholds = models.JSONField(_("thresholds"))
    # {grade code: largest share of the graded organisations, 0..1}
    caps = models.JSONField(_("quota caps"), default=dict, blank=True)
    # The texts give the share (five stars: 30% of those assessed), not the rounding.
    cap_rounding = models.CharField(_("quota rounding"), max_length=8, choices=CapRounding.choices,
                                    default=CapRounding.HALF_UP)
    # Candidates for the committee's weak-and-lax decision, not the decision (WeakDecision).
    weak_score_below = models.FloatField(_("weak-and-lax candidate: overall index below"), default=40)
    weak_bad_warnings = models.PositiveSmallIntegerField(_("weak-and-lax candidate: serious warnings at least"), default=3)
    weak_lowest_twice = models.BooleanField(_("weak-and-lax candidate: lowest grade two periods running"), default=True)
    is_default = models.BooleanField(_("default scheme"), default=False)

    class Meta:
        verbose_name = _("grading scheme")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class WarningConfig(SingletonSettings):
    """Thresholds of the warning rules that no other app configures. A singleton (pk=1).

    Meetings, dues, terms and the six-month rule use their own apps' rules.
    """

    satisfaction_below = models.FloatField(_("low satisfaction: rate below"), default=0.8)
    satisfaction_min_rated = models.PositiveSmallIntegerField(_("low satisfaction: at least this many ratings"), default=3)
    serious_count = models.PositiveSmallIntegerField(_("serious from this many records"), default=3)
    project_late_days = models.PositiveSmallIntegerField(_("project overdue: serious after (days)"), default=30)

    class Meta:
        verbose_name = _("warning rules")



class Period(TimeStampedModel):
    """One evaluation period and its configuration; computed once, recomputed only explicitly."""

    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    as_of = models.DateField(_("data as of"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    seconds = models.FloatField(_("computation time (s)"), null=True, blank=True)
    # Composite index configuration.
    weighting = models.CharField(_("weights"), max_length=10, choices=Weighting.choices, default=Weighting.EQUAL)
    aggregation = models.CharField(_("aggregation"), max_length=14, choices=Aggregation.choices, default=Aggregation.WEIGHTED_SUM)
    # {"dimensions" | "<dimension>": {"order": [dimension or indicator codes], "matrix": [[...]]}}: each matrix
    # names its rows (indices.judgement), so a catalogue change never shifts a judgement to another indicator.
    judgements = models.JSONField(_("pairwise judgements"), default=dict, blank=True)
    weights = models.JSONField(_("weights used"), default=dict, blank=True, editable=False)
    # Efficiency configuration: metric codes.
    eff_inputs = models.JSONField(_("efficiency inputs"), default=list, blank=True)
    eff_outputs = models.JSONField(_("efficiency outputs"), default=list, blank=True)
    eff_rts = models.CharField(_("returns to scale"), max_length=3, default="vrs",
                               choices=[("crs", _("constant (CCR)")), ("vrs", _("variable (BCC)"))])
    scheme = models.ForeignKey(GradingScheme, verbose_name=_("grading scheme"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="periods")

    class Meta:
        verbose_name = _("evaluation period")
        ordering = ["-start", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "start"], name="one_period_per_kind_start")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return pgettext("period label", "%(year)d") % {"year": self.start.year}
        if self.kind == PeriodKind.QUARTER:
            return pgettext("period label", "%(year)d Q%(quarter)d") % {
                "year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        return month_label(self.start)

    @property
    def is_computed(self) -> bool:
        return self.computed_at is not None


class IndicatorValue(models.Model):
    """An org's indicator value over its subtree for one period (numerator / denominator)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="values")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    numerator = models.FloatField()
    denominator = models.FloatField()
    value = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "org", "indicator"], name="one_value_per_period_org_indicator")]
        indexes = [models.Index(fields=["period", "indicator"], name="evalvalue_period_indicator")]


class IndexScore(models.Model):
    """Composite index 0-100 of an org in a period, per dimension and overall, ranked among its kind."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="scores")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=12)  # a Dimension or "overall"
    score = models.FloatField()
    rank = models.PositiveIntegerField(null=True)
    peers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "org", "dimension"], name="one_score_per_period_org_dimension")]
        indexes = [models.Index(fields=["period", "dimension", "score"], name="evalscore_period_dim")]


class Efficiency(models.Model):
    """Input-output efficiency (DEA, output orientation) of an org in a period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="efficiency")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()  # 1 = on the frontier; below 1 = could do more with the same inputs
    efficient = models.BooleanField(default=False)
    inputs = models.JSONField(default=dict)  # {metric code: value}
    outputs = models.JSONField(default=dict)
    targets = models.JSONField(default=dict)  # {output metric code: projected value}
    peers = models.JSONField(default=dict)  # {org id: weight}
    malmquist = models.FloatField(null=True)
    efficiency_change = models.FloatField(null=True)
    technical_change = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "org"], name="one_efficiency_per_period_org")]


class Grade(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="grades")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=12)
    score = models.FloatField()
    demoted_by_quota = models.BooleanField(default=False)
    previous = models.CharField(max_length=12, blank=True)
    movement = models.SmallIntegerField(null=True)  # +1 up, 0 same, -1 down, None: no earlier grade
    # Weak and lax as the superior committee decided (WeakDecision), with its situations in words.
    weak_lax = models.BooleanField(default=False, db_index=True)
    weak_reasons = models.JSONField(default=list, blank=True)
    # The automatic signals (index, serious warnings, lowest grade twice): a candidate for the committee, no decision.
    weak_candidate = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "org"], name="one_grade_per_period_org")]


class Severity(models.TextChoices):
    INFO = "info", _("notice")
    WARN = "warn", _("warning")
    BAD = "bad", _("serious")


class Alert(TimeStampedModel):
    """A warning raised by a rule over the data for one org, as of a period's date."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="alerts")
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("rule"), max_length=30, db_index=True)
    severity = models.CharField(_("severity"), max_length=4, choices=Severity.choices)
    count = models.PositiveIntegerField(_("records"), default=1)
    detail = models.CharField(_("detail"), max_length=300)
    # The condition no longer held when the period was recomputed (kept because a rectification refers to it).
    cleared = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("warning")
        ordering = ["period", "org__path", "rule"]
        constraints = [models.UniqueConstraint(fields=["period", "org", "rule"], name="one_alert_per_period_org_rule")]


class RectState(models.TextChoices):
    # With a context: "accepted" and "in progress" mean other things for appeals.
    OPEN = "open", pgettext_lazy("rectification state", "in progress")
    SUBMITTED = "submitted", pgettext_lazy("rectification state", "awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("rectification state", "accepted")
    RETURNED = "returned", pgettext_lazy("rectification state", "returned for more work")


class Rectification(TimeStampedModel):
    """整改: a task raised from a warning, done by the org and accepted by its superior."""

    alert = models.ForeignKey(Alert, verbose_name=_("warning"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="rectifications")
    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(pgettext_lazy("evaluation", "title"), max_length=120)
    requirement = models.TextField(_("what must be done"))
    deadline = models.DateField(pgettext_lazy("evaluation", "deadline"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=RectState.choices, default=RectState.OPEN, db_index=True)
    evidence = models.TextField(_("evidence"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rectification")
        ordering = ["state", "deadline", "id"]

    def __str__(self) -> str:
        return self.title


# ------------------------------------------------------------ 软弱涣散 (weak and lax)
# The organisation department's situations and the committee's decision: core.references.ARTICLES["weak.situations"],
# ["weak.decision"]; the share: ARTICLES["weak.share"]. The automatic signals of a period are candidates only
# (Grade.weak_candidate); an organisation is weak and lax when its superior committee decides so.


class WeakSituation(models.TextChoices):
    # The ten types of the 中组部 statistical return on 整顿软弱涣散基层党组织, then two the brief's sectors add.
    VACANT = "vacant", _("Committee incomplete, secretary's post long vacant, work at a standstill")
    UNFIT = "unfit", _("Secretary not up to the post, not engaged, seriously weakening the committee")
    DISUNITY = "disunity", _("Committee not united, serious internal friction, work cannot go on normally")
    NO_LIFE = "no_life", _("Organisational rules exist only on paper, no organisational life held")
    BRIBERY = "bribery", _("Canvassing and vote-buying at elections a serious problem")
    CLAN = "clan", _("Serious interference and infiltration by clan, religious or criminal forces")
    OPENNESS = "openness", _("Village or residents' affairs and finances not made public, democratic management in disorder")
    PETITIONS = "petitions", _("Public order problems, petitions and disputes concentrated")
    NO_VENUE = "no_venue", _("No fixed office or activity venue and no convenience service facilities")
    POOR_SERVICE = "poor_service", _("Weak sense of service, poor service capacity, strong public complaints")
    MEMBERS = "members", _("Management of the membership in disorder")
    DUTY = "duty", _("Responsibility for Party building not carried out")


class WeakLaxRule(SingletonSettings):
    """How many organisations a committee may name weak and lax in a year (a singleton, pk=1)."""

    # ARTICLES["weak.share"]: the texts give "a few per cent", commonly 5-10 %, by province; a setting.
    share_max = models.FloatField(_("weak and lax: largest share a year"), default=0.10)

    class Meta:
        verbose_name = _("weak-and-lax rule")


class WeakDecision(TimeStampedModel):
    """软弱涣散认定: the superior committee names an organisation weak and lax for a year."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    situations = models.JSONField(_("situations"), default=list)  # WeakSituation codes
    committee = models.ForeignKey("orgs.Org", verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    basis = models.TextField(_("basis"))
    # The automatic signals shown when it was decided (for the record; they do not decide).
    candidate_reasons = models.JSONField(default=list, blank=True)
    over_share = models.BooleanField(_("beyond the share"), default=False)
    override_reason = models.CharField(_("reason for exceeding the share"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("weak-and-lax decision")
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_weak_decision_per_org_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class WeakState(models.TextChoices):
    RECTIFYING = "rectifying", _("being rectified")
    SUBMITTED = "submitted", pgettext_lazy("weak plan", "awaiting acceptance")
    ACCEPTED = "accepted", pgettext_lazy("weak plan", "accepted")
    LIFTED = "lifted", _("transformed (lifted)")
    NOT_LIFTED = "not_lifted", _("not transformed")


class WeakPlan(TimeStampedModel):
    """整顿方案: opened by the decision; the superior's leader answers for it and the superior accepts it."""

    decision = models.OneToOneField(WeakDecision, on_delete=models.CASCADE, related_name="plan")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader in charge"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField(_("rectification deadline"))
    measures = models.TextField(_("measures"))
    state = models.CharField(_("state"), max_length=12, choices=WeakState.choices, default=WeakState.RECTIFYING,
                             db_index=True)
    summary = models.TextField(_("rectification report"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    acceptance_comment = models.CharField(_("acceptance opinion"), max_length=500, blank=True)
    concluded_on = models.DateField(_("transformation decided on"), null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    conclusion = models.CharField(_("transformation opinion"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rectification plan")


class WeakNote(models.Model):
    """A progress note on a plan (what was done when), or the superior's opinion when acceptance fails."""

    plan = models.ForeignKey(WeakPlan, on_delete=models.CASCADE, related_name="notes")
    on = models.DateField(_("date"))
    text = models.TextField(_("rectification progress"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        ordering = ["on", "id"]
