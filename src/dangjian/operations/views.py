
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.operations import health, selectors, services
from dangjian.operations.runners import KINDS
from dangjian.operations.schedules import TIMERS


@login_required
@require_GET
def job_list(request):
    jobs = list(selectors.jobs_of(request.user).filter(created_by=request.user)[:50])
    return render(request, "operations/job_list.html", {"jobs": jobs, "kinds": KINDS})


@login_required
@require_GET
def job_detail(request, pk):
    job = selectors.job_for(request.user, pk)
    return render(request, "operations/job_detail.html", {"job": job, "kind": KINDS.get(job.kind)})


@login_required
@require_GET
def job_status(request, pk):
    """The part of the job page HTMX polls every second until the job is done."""
    job = selectors.job_for(request.user, pk)
    return render(request, "operations/_job_status.html", {"job": job, "kind": KINDS.get(job.kind)})


@login_required
@require_GET
def job_file(request, pk):
    job = selectors.job_for(request.user, pk)
    if not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except (FileNotFoundError, ValueError):
        return redirect("operations:job_detail", pk=job.pk)
    return FileResponse(handle, as_attachment=True, filename=job.result_name or job.result_file.name)


@login_required
@require_POST
def job_retry(request, pk):
    job = selectors.job_for(request.user, pk)
    if job.state != job.State.FAILED:
        raise Http404
    services.job_retry(by=request.user, job=job)
    return redirect("operations:job_detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def job_start(request, kind):
    """POST starts a job from a button (the form's fields are the job's parameters). GET is the page
    with that button, for a link elsewhere that names the parameters in its query string
    (the dashboard's period reports): it says what the job will do and writes nothing."""
    if request.method == "GET":
        params = {k: v for k, v in request.GET.items() if v}
        if kind not in KINDS or not KINDS[kind].may_start(request.user, params):
            raise Http404
        what = KINDS[kind].describe(request.user, params) if KINDS[kind].describe else ""
        return render(request, "operations/job_start.html", {"kind": KINDS[kind], "params": params, "what": what})
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    job = services.job_start(by=request.user, kind=kind, params=params)
    return redirect("operations:job_detail", pk=job.pk)


def _require_superuser(user) -> None:
    if not (user.is_authenticated and user.is_superuser):
        raise Http404


@login_required
@require_GET
def overview(request):
    """Superusers only: the timers (last run, next run, outcome), the worker, recent jobs."""
    _require_superuser(request.user)
    from django_q.models import Schedule, Task

    schedules = {s.name: s for s in Schedule.objects.all()}
    last = {}
    for task in Task.objects.filter(group__in=list(schedules)).order_by("-started")[:500]:
        last.setdefault(task.group, task)
    rows = [{"timer": t, "schedule": schedules.get(t.name), "last": last.get(t.name)} for t in TIMERS]
    return render(request, "operations/overview.html", {
        "rows": rows,
        "health": health.check(),
        "jobs": list(selectors.jobs_of(request.user)[:20]),
        "now": timezone.now(),
        "can_reindex": True,
    })


@never_cache
def healthz(request):
    """Database, worker heartbeat and disk: 200 when all are well, 503 otherwise (no login, no details that matter)."""
    report = health.check()
    return JsonResponse(report, status=200 if report["ok"] else 503)


