"""An organisation's period report, PDF and xlsx, generated from the stored snapshots (never typed).

`report_data` gathers everything once (scoped); the two renderers lay it out.
"""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.audit.services import Action, audit_record
from dangjian.core.text import join_messages
from dangjian.dashboards import panels
from dangjian.dashboards.charts import num
from dangjian.evaluation.grading import grade_label
from dangjian.evaluation.models import OVERALL, Dimension, Period
from dangjian.orgs.models import Org

FONT = "STSong-Light"


def _fmt(v, unit: str = "") -> str:
    if v is None:
        return "—"
    text = f"{v:.0f}" if abs(v - round(v)) < 0.005 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"
    return f"{text}{unit}" if unit else text


def movement_words(grade) -> str:
    if grade is None:
        return _("not graded")
    if grade.movement is None:
        return _("no grade in the last period")
    before = grade_label(grade.previous)
    return {1: _("up from %(g)s"), 0: _("same as last period (%(g)s)"), -1: _("down from %(g)s")}[grade.movement] % {"g": before}


def malmquist_words(eff) -> str:
    """The Malmquist index in a sentence: above 1 the organisation did better than last period."""
    if eff is None or eff.malmquist is None:
        return ""
    change = (eff.malmquist - 1) * 100
    if abs(change) < 0.5:
        text = _("Productivity is about the same as last period")
    elif change > 0:
        text = _("Productivity rose %(p).0f%% since last period") % {"p": change}
    else:
        text = _("Productivity fell %(p).0f%% since last period") % {"p": -change}
    parts = []
    if eff.efficiency_change is not None:
        parts.append(_("catching up with the best: %(v).2f") % {"v": eff.efficiency_change})
    if eff.technical_change is not None:
        parts.append(_("shift of the frontier: %(v).2f") % {"v": eff.technical_change})
    if parts:
        return _("%(text)s (%(details)s).") % {"text": text, "details": join_messages(parts)}
    return pgettext("sentence", "%(text)s.") % {"text": text}


def report_data(user, org: Org, period: Period) -> dict:
    d = panels.overview(user, org, period)
    o = d["o"]
    names = d["dimension_names"]
    previous = d["previous"]
    from dangjian.dashboards import selectors as sel

    prev_scores = {}
    if previous is not None:
        prev_scores = sel.score_series(user, org, [previous])
        prev_scores = {k: v[0] for k, v in prev_scores.items()}
    dims = []
    for dim in [OVERALL, *Dimension.values]:
        s = o["scores"].get(dim)
        before = prev_scores.get(dim)
        rank = f"{s.rank}/{s.peers}" if s and s.rank and panels.rankings_enabled() else ""
        dims.append([names[dim], _fmt(s.score if s else None), _fmt(before),
                     _fmt(s.score - before) if s and before is not None else "—", rank])
    indicators = next(c for c in d["charts"] if c.key == "indicators")
    ind_rows = [[r[0], r[1], _fmt(r[2], r[5] if r[5] == "%" else ""), _fmt(r[3], r[5] if r[5] == "%" else ""),
                 _fmt(r[4]), r[5], f"{_fmt(r[6])} / {_fmt(r[7])}" if r[6] is not None else "—"] for r in indicators.rows]
    figures = [[f.label, _fmt(f.value if f.unit != "%" else num(f.value, "%"), "%" if f.unit == "%" else f" {f.unit}"),
                _fmt(f.previous if f.unit != "%" else num(f.previous, "%"), "%" if f.unit == "%" else f" {f.unit}")]
               for f in d["figures"]]
    grade = o["grade"]
    return {
        "installation": settings.DANGJIAN.get("INSTALLATION_NAME", ""),
        "org": org, "period": period, "previous": previous, "generated": timezone.localdate(),
        "figures": figures, "dimensions": dims, "indicators": ind_rows,
        "grade": grade, "grade_text": o["grade_label"] or _("not graded"), "movement": movement_words(grade),
        "weak": join_messages(grade.weak_reasons) if grade and grade.weak_lax else "",
        "warnings": [[a.org.name, a.get_severity_display(), a.detail] for a in o["warnings"]],
        "rectifications": [[r.org.name, r.title, r.deadline.isoformat(), r.get_state_display()] for r in d["rectifications"]],
        "efficiency": o["advice"] or _("No efficiency result for this organisation in the period."),
        "malmquist": malmquist_words(o["efficiency"]),
    }


def _headers() -> dict:
    return {
        "figures": [_("Key figure"), _("This period"), _("Last period")],
        "dimensions": [_("Dimension"), _("This period"), _("Last period"), _("Change"), _("Rank")],
        "indicators": [_("Indicator"), _("Dimension"), _("This period"), _("Last period"), _("Change"), _("Unit"),
                       _("Numerator / denominator")],
        "warnings": [pgettext("dashboard", "Organisation"), _("Severity"), pgettext("dashboard", "Warning")],
        "rectifications": [pgettext("dashboard", "Organisation"), pgettext("dashboard", "Rectification"), pgettext("evaluation", "Deadline"), pgettext("dashboard", "State")],
    }


def _title(data: dict) -> str:
    return _("%(org)s · %(period)s work report") % {"org": data["org"].name, "period": data["period"].label}


def _pdf(text) -> str:
    """The built-in CJK font has no middle dot (U+00B7): a comma (full-width in Chinese) reads the same."""
    comma = pgettext("in place of a middle dot", ", ")
    return str(text).replace(" · ", comma).replace("·", comma)


def render_pdf(data: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=12)
    h1 = ParagraphStyle("h1", parent=body, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=12)
    h2 = ParagraphStyle("h2", parent=body, fontSize=13, leading=18, spaceBefore=10, spaceAfter=6, textColor=colors.HexColor("#8e1414"))
    centre = ParagraphStyle("centre", parent=body, fontSize=12, leading=20, alignment=TA_CENTER)
    heads = _headers()
    width = A4[0] - 36 * mm

    def P(text, style=body):
        return Paragraph(_pdf(text), style)

    def table(key, rows, widths):
        cells = [[Paragraph(_pdf(h), small) for h in heads[key]]] + [[Paragraph(_pdf(c), small) for c in r] for r in rows]
        t = Table(cells, colWidths=[w * width for w in widths], repeatRows=1)
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9ced6")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    story = [Spacer(1, 55 * mm), P(data["org"].name, h1), P(_("Party building work report"), h1),
             Spacer(1, 10 * mm), P(data["period"].label, centre),
             P(_("Data as of %(d)s · version %(v)d") % {"d": data["period"].as_of or data["period"].end,
                                                                 "v": data["period"].version}, centre),
             P(_("Generated from the stored figures on %(d)s") % {"d": data["generated"]}, centre),
             Spacer(1, 30 * mm), P(data["installation"], centre), PageBreak()]
    story += [P(_("Key figures"), h2), table("figures", data["figures"], [0.5, 0.25, 0.25])]
    story += [P(_("Cohesion, influence and governing capacity"), h2),
              table("dimensions", data["dimensions"], [0.3, 0.175, 0.175, 0.175, 0.175])]
    story += [P(_("Grade and movement"), h2),
              P(_("%(grade)s, %(movement)s.") % {"grade": data["grade_text"], "movement": data["movement"]} + (
                  _("Marked weak and lax: %(r)s.") % {"r": data["weak"]} if data["weak"] else ""), body)]
    story += [P(_("Indicators"), h2),
              table("indicators", data["indicators"], [0.24, 0.13, 0.12, 0.12, 0.1, 0.08, 0.21])]
    story += [P(_("Warnings"), h2)]
    story += [table("warnings", data["warnings"], [0.25, 0.12, 0.63])] if data["warnings"] else [P(_("No warning."), body)]
    story += [P(_("Rectifications in progress"), h2)]
    story += ([table("rectifications", data["rectifications"], [0.25, 0.45, 0.15, 0.15])] if data["rectifications"]
              else [P(_("None."), body)])
    story += [P(_("Efficiency and peers"), h2), P(data["efficiency"], body)]
    if data["malmquist"]:
        story.append(P(data["malmquist"], body))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#5f6b7a"))
        canvas.drawString(18 * mm, 10 * mm, _pdf(_title(data)))
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=_title(data), author=data["installation"])
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=footer)
    return buf.getvalue()


def render_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from dangjian.core.xlsx import safe_row

    heads = _headers()
    wb = Workbook()
    cover = wb.active
    cover.title = pgettext("dashboard", "Report")
    for row in ([_title(data)], [pgettext("dashboard", "Organisation"), data["org"].name], [pgettext("dashboard", "Period"), data["period"].label],
                [_("Data as of"), str(data["period"].as_of or data["period"].end)], [_("Version"), data["period"].version],
                [_("Generated on"), str(data["generated"])], [pgettext("dashboard", "Grade"), data["grade_text"]],
                [_("Movement"), data["movement"]], [_("Weak and lax"), data["weak"] or _("no")],
                [_("Efficiency and peers"), data["efficiency"]], [_("Change since the last period (Malmquist)"), data["malmquist"]]):
        cover.append(safe_row(cover, row))
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 80
    for key, title in (("figures", _("Key figures")), ("dimensions", _("Dimensions")), ("indicators", _("Indicators")),
                       ("warnings", _("Warnings")), ("rectifications", _("Rectifications"))):
        ws = wb.create_sheet(title[:31])
        ws.append(heads[key])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in data[key]:
            ws.append(safe_row(ws, r))
        ws.column_dimensions["A"].width = 26
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_audit(*, by, org: Org, period: Period, fmt: str) -> None:
    audit_record(actor=by, action=Action.EXPORT, org=org, target_repr=f"{org.name} · {period.label} ({fmt})",
                 changes={"report": [None, f"{period.kind}:{period.start.isoformat()}:{fmt}"]})


def report_filename(org: Org, period: Period, fmt: str) -> str:
    return _("%(org)s-%(period)s-work report") % {"org": org.name, "period": period.label} + f".{fmt}"
