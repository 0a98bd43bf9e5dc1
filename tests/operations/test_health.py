"""/healthz, request ids and structured logs without identifiers."""

import json
import logging

from django.utils import timezone

from dangjian.core.logs import JsonFormatter, RequestIdFilter
from dangjian.core.middleware import RequestContextMiddleware
from dangjian.operations.models import WorkerBeat


def test_healthz_reports_the_database_the_worker_and_the_disk(client, db):
    r = client.get("/healthz")
    assert r.status_code == 503  # no worker has ever beaten
    body = r.json()
    assert body["database"] is True and body["worker"] is False and body["disk"] is True and body["ok"] is False
    WorkerBeat.objects.create(name="host", at=timezone.now() - timezone.timedelta(minutes=10))
    assert client.get("/healthz").status_code == 503  # a heartbeat ten minutes old: the worker is down
    WorkerBeat.objects.create(name="other", at=timezone.now())
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["ok"] is True
    assert "no-cache" in r["Cache-Control"]


def test_every_response_carries_a_request_id_nginx_may_give_it(client, db):
    mine = client.get("/accounts/login/")["X-Request-ID"]
    assert len(mine) == 32
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc123def456")["X-Request-ID"] == "abc123def456"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\n{\"level\": \"ERROR\"}")["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32


def test_a_log_line_is_json_with_the_request_id_and_no_identifier(rf):
    record = {}
    formatter, request_filter = JsonFormatter(), RequestIdFilter()

    def view(request):
        log_record = logging.LogRecord("dangjian.test", logging.ERROR, __file__, 1,
                                       "member %s with phone %s failed", ("11010519491231002X", "13912345678"), None)
        request_filter.filter(log_record)
        record["line"] = formatter.format(log_record)
        from django.http import HttpResponse

        return HttpResponse()

    response = RequestContextMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="req-0000000001"))
    line = json.loads(record["line"])
    assert line["request_id"] == "req-0000000001" == response["X-Request-ID"]
    assert line["level"] == "ERROR" and line["logger"] == "dangjian.test"
    assert "11010519491231002X" not in record["line"] and "13912345678" not in record["line"]
    assert line["message"] == "member 1101**********002X with phone 139****5678 failed"
