"""A printable PDF of one organisation's assessment result, set in ReportLab's built-in CJK font."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"  # ships with ReportLab: no system font needed
COMPONENT_LABELS = {"superior": gettext_lazy("Superior assessment (with deductions)"),
                    "duty": gettext_lazy("Responsibility list"), "democratic": gettext_lazy("Democratic evaluation")}


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _fmt(x) -> str:
    return "—" if x is None else f"{x:g}" if isinstance(x, (int, float)) else str(x)


def assessment_pdf(assessment) -> bytes:
    font = _font()
    title = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=14)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"{assessment.scheme.title} {assessment.org.name}")
    story = [Paragraph(_("%(scheme)s: assessment result") % {"scheme": assessment.scheme.title}, title),
             Paragraph(_("Organisation assessed: %(org)s; period: %(start)s to %(end)s") % {
                 "org": assessment.org.name, "start": f"{assessment.scheme.starts_on:%Y-%m-%d}",
                 "end": f"{assessment.scheme.ends_on:%Y-%m-%d}"}, body)]
    score = assessment.final_score
    story.append(Paragraph(_("Overall score: <b>%(score)s</b>; grade: %(stars)s stars %(symbols)s") % {
        "score": _fmt(float(score)) if score is not None else "—", "stars": assessment.stars or "—",
        "symbols": "★" * (assessment.stars or 0)}, body))
    for c in assessment.breakdown.get("components", []):
        story.append(Paragraph(_("%(component)s: %(score)s points × weight %(weight)s%% = %(weighted)s points") % {
            "component": COMPONENT_LABELS.get(c["kind"], c["kind"]), "score": _fmt(c["score"]), "weight": c["weight"],
            "weighted": _fmt(c["weighted"])}, h2))
        rows = [[pgettext("assessment pdf", "Item"), pgettext("assessment pdf", "Score"),
                 pgettext("assessment pdf", "Maximum"), pgettext("assessment pdf", "Basis")]]
        rows += [[Paragraph(line["label"], body), _fmt(line["points"]), _fmt(line["max"]), Paragraph(line["source"] or "", body)]
                 for line in c["lines"]]
        table = Table(rows, colWidths=[55 * mm, 18 * mm, 16 * mm, 85 * mm], repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e5")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    appeals = list(assessment.appeals.all())
    if appeals:
        story.append(Paragraph(_("Appeals and answers"), h2))
        for ap in appeals:
            story.append(Paragraph(_("Appeal: %(text)s") % {"text": ap.text}, body))
            story.append(Paragraph(_("Answer: %(text)s") % {"text": ap.answer or _("awaiting an answer")}, body))
            story.append(Spacer(1, 4))
    doc.build(story)
    return buf.getvalue()
