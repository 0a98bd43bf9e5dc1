"""Seed the single recruitment-rules row with the 2014 rules' time limits (written out here on purpose)."""

from django.db import migrations

DEFAULTS = {
    "min_age": 18, "talk_within_months": 1, "activist_min_months": 12, "training_min_days": 3,
    "training_min_hours": 24, "approval_within_months": 3, "probation_months": 12,
    "extension_min_months": 6, "extension_max_months": 12, "remind_days": 14,
}


def seed(apps, schema_editor):
    apps.get_model("recruitment", "RecruitRules").objects.get_or_create(pk=1, defaults=DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_recruitment_cases_and_steps")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
