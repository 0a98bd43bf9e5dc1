"""A period report as a user gets it: the dashboard's link, the page with the button, the job, its file."""

import re

from django.urls import reverse

from dangjian.operations.models import Job


def report_file(client, org, period, fmt: str) -> bytes:
    jobs_before = Job.objects.count()
    link = client.get(reverse(f"dashboards:report_{fmt}", args=[org.pk]), {"period": period.pk})
    assert link.status_code == 302
    page = client.get(link["Location"])
    assert page.status_code == 200
    # Following the link writes nothing: the report is not written in the request, no job yet.
    assert Job.objects.count() == jobs_before
    body = page.content.decode()
    action = reverse("operations:job_start", args=["period_report"])
    form = body[body.index(f'<form method="post" action="{action}">'):]
    form = form[:form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"} == {
        "org": str(org.pk), "period": str(period.pk), "fmt": fmt}
    done = client.post(action, fields, follow=True)
    assert done.status_code == 200, (done.status_code, done.redirect_chain, done.content[:300])
    job = done.context["job"]
    assert job.kind == "period_report" and job.state == "succeeded", job.message
    return b"".join(client.get(reverse("operations:job_file", args=[job.pk])).streaming_content)
