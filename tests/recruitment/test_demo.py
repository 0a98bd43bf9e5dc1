import random

from django.utils import timezone

from dangjian.orgs.models import Member
from dangjian.recruitment import demo
from dangjian.recruitment.models import Applicant
from dangjian.recruitment.selectors import recruitment_alerts


def test_demo_seed_builds_cases_at_every_stage_with_overdue_ones(tree, officer, config):
    lines = []
    today = timezone.localdate()
    demo.seed(rng=random.Random(3), today=today, log=lines.append)
    stages = set(Applicant.objects.values_list("stage", flat=True))
    assert stages == {"applicant", "activist", "candidate", "probationary", "full"}
    assert Member.objects.filter(category="full", recruitment__isnull=False).exists()
    assert sum(a.severity == "bad" for a in recruitment_alerts(officer, today=today)) >= 2
    demo.seed(rng=random.Random(3), today=today, log=lines.append)
    assert lines[-1].endswith("skipped")
