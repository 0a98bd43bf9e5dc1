"""Every date, date-time and month input of every form renders a value the browser can show.

A `type=date` input shows only an ISO value (2026-01-02); a localised one
(2026/01/02, the zh-hans format) leaves the input blank and the form refuses
to submit. Every form class of every app is walked, so a form added later is
covered without being listed here.
"""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.utils import timezone, translation

from dangjian.core.forms import DateInput, DateTimeInput, MonthField

DAY = dt.date(2026, 1, 2)
EXPECTED = {"date": 'value="2026-01-02"', "datetime-local": 'value="2026-01-02T08:30"', "month": 'value="2026-01"'}


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("dangjian."):
            continue
        package = importlib.import_module(config.name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if info.name.rsplit(".", 1)[-1] in ("forms", "views", "pages") or ".views." in info.name:
                importlib.import_module(info.name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("dangjian."):
                found.append(sub)
    return found


def _dated_inputs():
    for form_class in _all_form_classes():
        for name, field in form_class.base_fields.items():
            kind = getattr(field.widget, "input_type", None)
            if kind in EXPECTED:
                yield pytest.param(field, kind, id=f"{form_class.__module__}.{form_class.__name__}.{name}")


def test_the_walk_finds_the_date_inputs_of_every_kind():
    kinds = {p.values[1] for p in _dated_inputs()}
    assert kinds == set(EXPECTED)
    assert len(list(_dated_inputs())) > 40


@pytest.mark.parametrize(("field", "kind"), list(_dated_inputs()))
def test_every_dated_input_renders_iso(field, kind):
    value = {"date": DAY, "month": DAY,
             "datetime-local": timezone.make_aware(dt.datetime(2026, 1, 2, 8, 30))}[kind]
    with translation.override("zh-hans"):
        html = field.widget.render("f", field.prepare_value(value))
    assert EXPECTED[kind] in html, html


def test_the_localised_format_is_what_the_shared_widgets_prevent():
    # Without a fixed format Django writes the zh-hans input format, which a date input shows as blank.
    with translation.override("zh-hans"):
        assert 'value="2026/01/02"' in forms.DateInput(attrs={"type": "date"}).render("f", DAY)
        assert 'value="2026-01-02"' in DateInput().render("f", DAY)
        assert 'value="2026-01-02T08:30"' in DateTimeInput().render("f", dt.datetime(2026, 1, 2, 8, 30))
        assert 'value="2026-01"' in MonthField().widget.render("f", DAY)
