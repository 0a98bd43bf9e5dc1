"""The plain list page: a paginated table that also exports (audited xlsx), and the org picker of a user's scope.

Used by the lists that need nothing more (resources, volunteering, learning);
the template is the site's `list_page.html`.
"""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from dangjian.core.scoping import visible_orgs
from dangjian.core.xlsx import export_xlsx


def list_page(request, *, title, qs, headers: list, cells: Callable, url: Callable | None = None,
              filename: str, nav=(), actions=(), searchable=False, note="", per_page: int = 50):
    """`cells(obj)` gives one row's values, for the page and the export alike."""
    if request.GET.get("export") == "xlsx":
        rows = (cells(o) for o in (qs.iterator(chunk_size=2000) if hasattr(qs, "iterator") else qs))
        return export_xlsx(by=request.user, what=str(title), filename=filename, headers=headers, rows=rows)
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    page.object_list = [{"url": url(o) if url else "", "cells": list(zip(headers, cells(o), strict=False))}
                        for o in page.object_list]  # (header, value): phones show each value under its label
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "list_page.html", {
        "title": title, "page": page, "headers": headers, "nav": nav, "actions": actions,
        "searchable": searchable, "q": request.GET.get("q", ""), "query": query.urlencode(), "note": note,
    })


class ScopedOrgField(forms.ModelChoiceField):
    """An org picker over the user's scope: an org id outside it (or in nobody's) is 404, as everywhere else.

    A missing value stays a form error ("This field is required").
    """

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code == "invalid_choice":
                raise Http404 from exc
            raise


def org_field(user, capability: str, label) -> forms.ModelChoiceField:
    return ScopedOrgField(queryset=visible_orgs(user, capability).order_by("path"), label=label)
