"""Page helpers shared by the resources, volunteering and learning apps:
a paginated list that also exports (audited, write-only xlsx) and the org
choices of a user's scope."""

import datetime as dt
from collections.abc import Callable, Iterable

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangjian.core.scoping import has_capability, visible_orgs
from dangjian.core.xlsx import export_xlsx


def need(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise Http404


def xlsx_export(*, by, what: str, filename: str, headers: list, rows: Iterable) -> HttpResponse:
    return export_xlsx(by=by, what=str(what), filename=filename, headers=headers, rows=rows)


def list_page(request, *, title, qs, headers: list, cells: Callable, url: Callable | None = None,
              filename: str, nav=(), actions=(), searchable=False, note="", per_page: int = 50):
    """`cells(obj)` gives one row's values, for the page and the export alike."""
    if request.GET.get("export") == "xlsx":
        rows = (cells(o) for o in (qs.iterator(chunk_size=2000) if hasattr(qs, "iterator") else qs))
        return xlsx_export(by=request.user, what=title, filename=filename, headers=headers, rows=rows)
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    page.object_list = [{"url": url(o) if url else "", "cells": cells(o)} for o in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "resources/list.html", {
        "title": title, "page": page, "headers": headers, "nav": nav, "actions": actions,
        "searchable": searchable, "q": request.GET.get("q", ""), "query": query.urlencode(), "note": note,
    })


def org_field(user, capability: str, label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=visible_orgs(user, capability).order_by("path"), label=label)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if timezone.is_aware(value) else value.strftime("%Y-%m-%dT%H:%M")
        return value
