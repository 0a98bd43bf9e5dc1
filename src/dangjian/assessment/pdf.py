"""A printable PDF of one organisation's assessment result, Chinese set in ReportLab's built-in CJK font."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"  # ships with ReportLab: no system font needed
COMPONENT_LABELS = {"superior": "上级考核（含扣分）", "duty": "责任清单", "democratic": "民主测评"}


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
    story = [Paragraph(f"{assessment.scheme.title}：考核结果", title),
             Paragraph(f"被考核组织：{assessment.org.name}　考核期：{assessment.scheme.starts_on:%Y-%m-%d} 至 "
                       f"{assessment.scheme.ends_on:%Y-%m-%d}", body)]
    stars = "★" * (assessment.stars or 0)
    story.append(Paragraph(f"综合得分：<b>{_fmt(float(assessment.final_score)) if assessment.final_score is not None else '—'}</b>"
                           f"　等次：{assessment.stars or '—'} 星 {stars}", body))
    for c in assessment.breakdown.get("components", []):
        story.append(Paragraph(f"{COMPONENT_LABELS.get(c['kind'], c['kind'])}：{_fmt(c['score'])} 分 × 权重 {c['weight']}% "
                               f"= {_fmt(c['weighted'])} 分", h2))
        rows = [["事项", "得分", "满分", "依据"]]
        rows += [[Paragraph(line["label"], body), _fmt(line["points"]), _fmt(line["max"]), Paragraph(line["source"] or "", body)]
                 for line in c["lines"]]
        table = Table(rows, colWidths=[55 * mm, 18 * mm, 16 * mm, 85 * mm], repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e5")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    appeals = list(assessment.appeals.all())
    if appeals:
        story.append(Paragraph("申诉与答复", h2))
        for ap in appeals:
            story.append(Paragraph(f"申诉：{ap.text}", body))
            story.append(Paragraph(f"答复：{ap.answer or '待答复'}", body))
            story.append(Spacer(1, 4))
    doc.build(story)
    return buf.getvalue()
