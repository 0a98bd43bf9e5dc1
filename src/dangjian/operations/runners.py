"""The kinds of job a user can start, each with who may start it and what it runs.

A runner reads its parameters from the job, reports progress(percent, stage),
and returns an Outcome (a summary in the user's words, and maybe a file); it
raises JobFailed (or ValidationError) with the reason in the user's words.
Every runner writes in one transaction, or only at its end: a worker that
dies mid-way leaves nothing half-written.
"""

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dangjian.accounts import roles
from dangjian.core.http import require_capability
from dangjian.core.scoping import has_capability, is_unrestricted


class JobFailed(Exception):
    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message, self.result = message, result or {}


@dataclass
class Outcome:
    message: str
    result: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    label: object
    run: Callable
    may_start: Callable  # (user, params) -> bool
    # (user, params) -> what the job will do, in a sentence, for the page with its start button
    describe: Callable | None = None


def _save_result(job, data, filename: str) -> None:
    """Attach the job's file (bytes or an open file) under the name the user downloads it as."""
    content = ContentFile(data) if isinstance(data, bytes) else File(data)
    suffix = filename.rsplit(".", 1)[-1]
    job.result_file.save(f"job-{job.pk}.{suffix}", content, save=False)
    job.result_name = filename[:255]
    type(job).objects.filter(pk=job.pk).update(result_file=job.result_file.name, result_name=job.result_name)


# --- roster export -----------------------------------------------------------------


def _roster_export(job, progress) -> Outcome:
    from dangjian.imports.services import roster_export

    def written(done: int, total: int) -> None:  # 5% on the way in, 95% once every row is written
        progress(5 + 85 * done // total if total else 90,
                 _("writing the workbook: %(done)d of %(total)d members") % {"done": done, "total": total})

    progress(5, _("writing the workbook"))
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as target:
        count = roster_export(by=job.created_by, params=job.params, target=target, progress=written)
        progress(95, _("saving the file"))
        target.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
        _save_result(job, target, _("Roster_%(stamp)s") % {"stamp": stamp} + ".xlsx")
    return Outcome(ngettext("%(n)d member exported.", "%(n)d members exported.", count) % {"n": count},
                   {"count": count})


# --- dues payments import ---------------------------------------------------------


def _dues_import(job, progress) -> Outcome:
    from dangjian.dues.importing import payments_import

    progress(5, _("checking every row"))
    with job.input_file.open("rb") as fh:
        content = fh.read()
    outcome = payments_import(by=job.created_by, content=content)
    if outcome.errors:
        _save_result(job, outcome.marked, _("Dues payment import errors") + ".xlsx")
        errors = [{"row": row, "column": column, "message": str(message)} for row, column, message in outcome.errors]
        raise JobFailed(ngettext("%(n)d error found; nothing was recorded.", "%(n)d errors found; nothing was recorded.",
                                 len(errors)) % {"n": len(errors)}, {"errors": errors[:500]})
    return Outcome(ngettext("Imported: %(n)d payment recorded.", "Imported: %(n)d payments recorded.",
                            outcome.recorded) % {"n": outcome.recorded}, {"count": outcome.recorded})


# --- evaluation period --------------------------------------------------------------


def _period_compute(job, progress) -> Outcome:
    from dangjian.evaluation.services import period_compute

    steps = {"n": 0}

    def log(_line: str) -> None:  # period_compute reports each stage it reaches
        steps["n"] += 1
        progress(min(95, 10 * steps["n"]), _("computing"))

    progress(2, _("computing"))
    period = period_compute(by=job.created_by, kind=job.params["kind"], start=dt.date.fromisoformat(job.params["start"]),
                            recompute=bool(job.params.get("recompute")), log=log)
    return Outcome(_("%(period)s computed (version %(v)d).") % {"period": period.label, "v": period.version},
                   {"period": period.pk, "version": period.version, "url": reverse("evaluation:period", args=[period.pk])})


def _may_compute(user, params) -> bool:
    from dangjian.evaluation.services import can_compute

    return can_compute(user)


# --- period reports -------------------------------------------------------------------


def _period_report(job, progress) -> Outcome:
    from dangjian.dashboards import reports
    from dangjian.dashboards import selectors as sel
    from dangjian.evaluation.models import Period

    user = job.created_by
    org = sel.org_get(user, job.params["org"])
    period = Period.objects.filter(pk=job.params["period"], computed_at__isnull=False).first()
    if period is None:
        raise JobFailed(_("The period has not been computed yet"))
    fmt = job.params.get("fmt", "pdf")
    progress(10, _("gathering the figures"))
    data = reports.report_data(user, org, period)
    progress(60, _("writing the report"))
    body = reports.render_pdf(data) if fmt == "pdf" else reports.render_xlsx(data)
    progress(95, _("saving the file"))
    with transaction.atomic():
        reports.report_audit(by=user, org=org, period=period, fmt=fmt)
        _save_result(job, body, reports.report_filename(org, period, fmt))
    return Outcome(_("The report is ready."))


def _may_report(user, params) -> bool:
    from dangjian.dashboards import selectors as sel

    try:
        require_capability(user, sel.CAP)
        sel.org_get(user, params.get("org"))
    except Http404:
        return False
    return params.get("fmt") in ("pdf", "xlsx")


def _describe_report(user, params) -> str:
    from dangjian.dashboards import selectors as sel
    from dangjian.evaluation.models import Period

    org = sel.org_get(user, params.get("org"))
    period = Period.objects.filter(pk=params.get("period"), computed_at__isnull=False).first()
    if period is None:
        raise Http404
    return _("The %(fmt)s period report of %(org)s for %(period)s.") % {
        "fmt": "PDF" if params["fmt"] == "pdf" else "xlsx", "org": org.name, "period": period.label}


# --- originality index ----------------------------------------------------------------


def _originality_reindex(job, progress) -> Outcome:
    from dangjian.learning import checker

    progress(5, _("computing signatures"))
    with transaction.atomic():
        count = checker.reindex_all()
    return Outcome(ngettext("%(n)d text re-indexed.", "%(n)d texts re-indexed.", count) % {"n": count}, {"count": count})


KINDS = {k.name: k for k in [
    Kind("roster_export", gettext_lazy("Roster export"), _roster_export,
         lambda user, params: has_capability(user, roles.EXPORT_ROSTER)),
    Kind("dues_import", gettext_lazy("Dues payment import"), _dues_import,
         lambda user, params: has_capability(user, roles.EDIT_WORK)),
    Kind("period_compute", gettext_lazy("Evaluation period computation"), _period_compute, _may_compute),
    Kind("period_report", gettext_lazy("Period report"), _period_report, _may_report, _describe_report),
    Kind("originality_reindex", gettext_lazy("Originality index rebuild"), _originality_reindex,
         lambda user, params: is_unrestricted(user)),
]}

