from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.committees.models import Duty, ElectionMethod, Position
from dangjian.core.forms import DateInput

DATE = DateInput()
SEAT_ROWS = 9
TERM_KEYS = ("elected_on", "start", "end", "method", "eligible_voters", "voters_present", "candidates",
             "approved_on", "approval_document", "notes")


class TermForm(forms.Form):
    elected_on = forms.DateField(label=_("election date"), widget=DATE)
    start = forms.DateField(label=_("term start"), widget=DATE)
    end = forms.DateField(label=_("term end"), widget=DATE, required=False,
                          help_text=_("Leave empty for the configured term length."))
    method = forms.ChoiceField(label=_("election method"), choices=ElectionMethod.choices)
    eligible_voters = forms.IntegerField(label=_("members entitled to vote"), min_value=0,
                                         help_text=_("Full members only: probationary members have no vote."))
    voters_present = forms.IntegerField(label=_("voters present"), min_value=0)
    candidates = forms.IntegerField(label=_("candidates"), min_value=0, required=False,
                                    help_text=_("Competitive election: at least 20% more candidates than seats, rounded up."))
    approved_on = forms.DateField(label=_("approved by the superior on"), widget=DATE, required=False)
    approval_document = forms.CharField(label=_("approval document number"), max_length=100, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, roster, rows: int = SEAT_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for i in range(rows):
            self.fields[f"seat{i}_member"] = forms.ModelChoiceField(queryset=roster, required=False, label=_("member"))
            self.fields[f"seat{i}_position"] = forms.ChoiceField(
                choices=Position.choices, label=_("position"),
                initial=Position.SECRETARY if i == 0 else Position.MEMBER,
            )
            self.fields[f"seat{i}_duty"] = forms.ChoiceField(choices=Duty.choices, required=False, label=_("duty"))
            self.fields[f"seat{i}_votes"] = forms.IntegerField(min_value=0, required=False, label=_("votes for"))

    def seat_rows(self):
        return [[self[f"seat{i}_{k}"] for k in ("member", "position", "duty", "votes")] for i in range(self.rows)]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("seat")]

    def seats(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"member": d[f"seat{i}_member"], "position": d[f"seat{i}_position"], "duty": d[f"seat{i}_duty"],
             "votes": d[f"seat{i}_votes"]}
            for i in range(self.rows) if d.get(f"seat{i}_member")
        ]

    def term_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in TERM_KEYS}


class TermCorrectForm(TermForm):
    """A recorded term with its seats filled in, to be corrected, and why."""

    reason = forms.CharField(label=_("reason for the correction"), max_length=200)

    def __init__(self, *args, term, seats, **kwargs):
        initial = {f: getattr(term, f) for f in TERM_KEYS}
        for i, seat in enumerate(seats):
            initial.update({f"seat{i}_member": seat.member_id, f"seat{i}_position": seat.position,
                            f"seat{i}_duty": seat.duty, f"seat{i}_votes": seat.votes})
        super().__init__(*args, initial=initial, rows=max(SEAT_ROWS, len(seats) + 2), **kwargs)


class CommitteeRuleForm(forms.Form):
    committee_threshold = forms.IntegerField(label=_("members from which a branch elects a committee"), min_value=1,
                                             help_text=_("Full members; Regulations on Party Branch Work, article 8: 7."))
    first_warning_months = forms.IntegerField(label=_("first warning before the term ends (months)"), min_value=1)
    second_warning_months = forms.IntegerField(label=_("second warning before the term ends (months)"), min_value=1)
    surplus_percent = forms.IntegerField(label=_("competitive election: candidates more than seats by (%)"),
                                         min_value=1, max_value=100, help_text=_("Regulations on Elections in Primary-Level Organisations: 20%, rounded up."))
    competitive_from_seats = forms.IntegerField(label=_("competitive election required from this many seats"),
                                                min_value=1, help_text=_("A committee (3 or more) is elected competitively."))
    committee_min = forms.IntegerField(label=_("smallest branch committee"), min_value=3,
                                       help_text=_("Regulations on Party Branch Work, article 8: 3 to 5 members, at most 7."))
    committee_max = forms.IntegerField(label=_("largest branch committee"), min_value=3)
    branch_min_full = forms.IntegerField(label=_("full members a branch needs at least"), min_value=1,
                                         help_text=_("Regulations on Party Branch Work, article 4: 3 full members; about 50 members at most."))
    branch_max = forms.IntegerField(label=_("members a branch has at most"), min_value=2)
    community_branches_five_years = forms.BooleanField(
        label=_("branches of a village or community Party organisation serve its term length"), required=False,
        help_text=_("Opinions on the Terms of Primary-Level Party Organisations (General Office, 2018): village and "
                    "community branches 5 years, other branches 3."))
