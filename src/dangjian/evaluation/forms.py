from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import metrics as registry
from dangjian.core.forms import DateInput
from dangjian.evaluation.models import (
    Aggregation,
    CapRounding,
    Dimension,
    Direction,
    GradeMode,
    GradingScheme,
    PeriodKind,
    Weighting,
)


def metric_choices():
    return [(m.code, _("%(name)s (%(code)s)") % {"name": m.name, "code": m.code}) for m in registry.all_metrics()]


class ComputeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    start = forms.DateField(label=_("First day"), widget=DateInput())
    recompute = forms.BooleanField(label=_("Recompute if already computed"), required=False)


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=pgettext_lazy("indicator", "Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=60)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    metric_code = forms.ChoiceField(label=_("Metric"), choices=())
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_code"].choices = metric_choices()


class ConfigForm(forms.Form):
    weighting = forms.ChoiceField(label=_("Weights"), choices=Weighting.choices)
    aggregation = forms.ChoiceField(label=_("Aggregation"), choices=Aggregation.choices)
    eff_inputs = forms.MultipleChoiceField(label=_("Efficiency inputs"), choices=(), widget=forms.CheckboxSelectMultiple)
    eff_outputs = forms.MultipleChoiceField(label=_("Efficiency outputs"), choices=(), widget=forms.CheckboxSelectMultiple)
    eff_rts = forms.ChoiceField(label=_("Returns to scale"), choices=[("crs", _("constant (CCR)")), ("vrs", _("variable (BCC)"))])
    scheme = forms.ModelChoiceField(label=_("Grading scheme"), queryset=GradingScheme.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eff_inputs"].choices = self.fields["eff_outputs"].choices = metric_choices()


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    mode = forms.ChoiceField(label=_("Grades"), choices=GradeMode.choices)
    thresholds = forms.CharField(label=_("Thresholds"), widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("One grade a line, best first: lowest score, a space, the grade code."))
    caps = forms.CharField(label=_("Quota caps"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("One a line: grade code, a space, the largest share (e.g. 0.3)."))
    cap_rounding = forms.ChoiceField(
        label=_("Quota rounding"), choices=CapRounding.choices,
        help_text=_("Five stars: at most 30% of the organisations assessed; the texts do not say how a fraction "
                    "is rounded. Default: round half up."))
    weak_score_below = forms.FloatField(label=_("Weak-and-lax candidate: overall index below"), min_value=0, max_value=100)
    weak_bad_warnings = forms.IntegerField(label=_("Weak-and-lax candidate: serious warnings at least"), min_value=0)
    weak_lowest_twice = forms.BooleanField(label=_("Weak-and-lax candidate: lowest grade two periods running"), required=False)

    @staticmethod
    def _pairs(text: str) -> list[list[str]]:
        return [line.split() for line in text.splitlines() if line.strip()]

    def clean_thresholds(self):
        rows = self._pairs(self.cleaned_data["thresholds"])
        try:
            return [[float(low), code] for low, code in rows]
        except ValueError as exc:
            raise forms.ValidationError(_("One line each: “threshold grade-code”, for example: 85 advanced")) from exc

    def clean_caps(self):
        rows = self._pairs(self.cleaned_data.get("caps") or "")
        try:
            return {code: float(share) for code, share in rows}
        except ValueError as exc:
            raise forms.ValidationError(_("One line each: “grade-code share”, for example: advanced 0.3")) from exc


class RectificationForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("evaluation", "Title"), max_length=120)
    requirement = forms.CharField(label=_("What must be done"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=pgettext_lazy("evaluation", "Deadline"), widget=DateInput())
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dangjian.accounts.models import User

        self.fields["owner"].queryset = owners if owners is not None else User.objects.none()


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label=_("What was done, with evidence"), widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("accept", pgettext_lazy("rectification", "Accept")),
                                                                          ("return", pgettext_lazy("rectification", "Return for more work"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# ------------------------------------------------------------ 软弱涣散


class WeakDecisionForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    situations = forms.MultipleChoiceField(
        label=_("Situations"), choices=(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one of the organisation department's situations")})
    committee = forms.ModelChoiceField(label=_("Decided by (committee)"), queryset=None)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    basis = forms.CharField(label=_("Basis"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("The committee meeting that decided it and what the check found."))
    leader = forms.ModelChoiceField(label=_("Leader in charge"), queryset=None)
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DateInput())
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = forms.CharField(label=_("Reason for exceeding the share"), required=False, max_length=300,
                                      help_text=_("Only when the committee names more than the share allows."))

    def __init__(self, *args, orgs=None, committees=None, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dangjian.accounts.models import User
        from dangjian.evaluation.models import WeakSituation
        from dangjian.orgs.models import Org

        self.fields["situations"].choices = WeakSituation.choices
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        self.fields["committee"].queryset = committees if committees is not None else Org.objects.none()
        self.fields["leader"].queryset = leaders if leaders is not None else User.objects.none()
        self.fields["leader"].label_from_instance = lambda u: u.display_name or u.username


class WeakNoteForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("Rectification progress"), widget=forms.Textarea(attrs={"rows": 2}))


class WeakSubmitForm(forms.Form):
    summary = forms.CharField(label=_("Rectification report"), widget=forms.Textarea(attrs={"rows": 3}))


class WeakReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Acceptance result"), choices=[
        ("pass", pgettext_lazy("weak plan", "Passed")), ("fail", pgettext_lazy("weak plan", "Not passed: keep rectifying"))])
    comment = forms.CharField(label=_("Acceptance opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WeakConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Transformation"), choices=[
        ("lift", _("Transformed: lift the label")), ("keep", _("Not transformed: keep it on the list"))])
    on = forms.DateField(label=_("Date of the transformation decision"), widget=DateInput())
    comment = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WeakRuleForm(forms.Form):
    share_max = forms.FloatField(label=_("Largest share a committee names a year (%)"), min_value=0.1, max_value=50)
