import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangjian.accounts import roles
from dangjian.core.http import require_capability
from dangjian.core.scoping import has_capability
from dangjian.imports import selectors, services, workbooks
from dangjian.imports.forms import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def roster_import(request):
    require_capability(request.user, roles.IMPORT_ROSTER)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    return render(request, "imports/roster_import.html", {
        "form": form,
        "jobs": selectors.recent_jobs(request.user),
        "can_export": has_capability(request.user, roles.EXPORT_ROSTER),
    })


@login_required
@require_GET
def template_xlsx(request):
    require_capability(request.user, roles.IMPORT_ROSTER)
    data = workbooks.template_xlsx(list(selectors.import_target_orgs(request.user)[:5000]))
    return _download(data, _("Roster import template") + ".xlsx", XLSX)


@login_required
@require_GET
def template_csv(request):
    require_capability(request.user, roles.IMPORT_ROSTER)
    return _download(workbooks.template_csv(), _("Roster import template") + ".csv", "text/csv; charset=utf-8")


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def job_detail(request, pk):
    job = selectors.job_for(request.user, pk)
    return render(request, "imports/job_detail.html", {"job": job})


@login_required
@require_GET
def job_status(request, pk):
    """The part of the job page HTMX polls every second until the job is done."""
    job = selectors.job_for(request.user, pk)
    return render(request, "imports/_job_status.html", {"job": job})


@login_required
@require_GET
def job_errors(request, pk):
    job = selectors.job_for(request.user, pk)
    if not job.error_file and not job.error_file_expired_at:
        raise Http404
    try:
        handle = job.error_file.open("rb")
    except (FileNotFoundError, ValueError):
        # Deleted by the retention (purge_import_files): the job page says so.
        return redirect("imports:job_detail", pk=job.pk)
    return FileResponse(handle, as_attachment=True,
                        filename=_("Import errors_%(name)s") % {"name": job.file_name.rsplit(".", 1)[0]} + ".xlsx",
                        content_type=XLSX)


@login_required
@require_GET
def roster_export(request):
    require_capability(request.user, roles.EXPORT_ROSTER)
    # Spooled to disk past 8 MB: a large roster never sits whole in memory.
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    services.roster_export(by=request.user, params=request.GET, target=target)
    target.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    return FileResponse(target, as_attachment=True, filename=_("Roster_%(stamp)s") % {"stamp": stamp} + ".xlsx",
                        content_type=XLSX)
