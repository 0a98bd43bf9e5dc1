"""The demo seeders of the three apps on a small demo organisation: they run, are
deterministic in what they create, and respect the rules (no overlapping bookings)."""

import random

import pytest

from dangjian.learning import checker
from dangjian.learning import demo as learning_demo
from dangjian.learning.models import Case, Reflection, Signature
from dangjian.learning.selectors import case_search
from dangjian.resources import demo as resources_demo
from dangjian.resources.models import Booking, Need, Resource
from dangjian.volunteering import demo as volunteering_demo
from dangjian.volunteering.models import SignUp
from tests.demo.conftest import TODAY, run_demo

pytestmark = pytest.mark.django_db


def test_seeders(django_user_model):
    run_demo("--scale", "300", "--seed", "7", "--today", TODAY.isoformat(), "--no-features")
    lines = []
    for module in (resources_demo, volunteering_demo, learning_demo):
        module.seed(rng=random.Random(1), today=TODAY, log=lines.append)
    assert Resource.objects.exists() and Need.objects.exists() and SignUp.objects.filter(hours__isnull=False).exists()
    for b in Booking.objects.all():
        assert not Booking.objects.filter(resource=b.resource, starts_at__lt=b.ends_at, ends_at__gt=b.starts_at).exclude(pk=b.pk).exists()
    assert Case.objects.exists()
    admin = django_user_model.objects.create_superuser("root", password="long-enough-1")
    assert case_search(admin, "垃圾分类").exists()  # the full-text index took the bulk inserts
    flagged = Reflection.objects.filter(verdict="flagged")
    assert flagged.count() == 2 and all(r.matches.exists() for r in flagged)
    assert Signature.objects.count() >= Reflection.objects.count()
    # A seeded copy is found again by the live check.
    checker.reset()
    assert checker.check(flagged.first().body).flagged
    # Running again adds nothing.
    resources_demo.seed(rng=random.Random(1), today=TODAY, log=lines.append)
    assert "already present" in lines[-1]
