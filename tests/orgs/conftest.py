"""Roster-UI fixtures on top of the shared personas (tests/conftest.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.orgs.idnumber import make_id_number
from dangjian.orgs.models import Tag


@pytest.fixture
def tags(db):
    return {name: Tag.objects.get_or_create(name=name)[0] for name in ("流动党员", "困难党员", "老党员")}


def valid_member_post(org, **overrides) -> dict:
    """A complete, valid create-form POST for a man born 1985-03-09."""
    birth = dt.date(1985, 3, 9)
    data = {
        "org": org.pk, "name": "王立新", "gender": "M", "ethnicity": "汉族",
        "id_number": make_id_number(area="110105", birth_date=birth, sequence=901, gender="M"),
        "birth_date": birth.isoformat(), "phone": "13912345678", "education": "bachelor",
        "employment": "employed", "joined_on": "2008-07-01", "full_member_on": "2009-07-01",
        "category": "full", "job": "社区工作者", "address": "和平路1号",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(name, *args):
    return reverse(f"orgs:{name}", args=args)
