"""Default frequencies from DOMAIN.md (中国共产党支部工作条例(试行), 2018)."""

from django.db import migrations

DEFAULTS = {
    "branch_general": 3,  # 支部党员大会: quarterly
    "committee": 1,  # 支委会: monthly
    "group": 1,  # 党小组会: monthly
    "lecture": 3,  # 党课: quarterly
    "theme_day": 1,  # 主题党日: monthly
    "life_meeting": 12,  # 组织生活会: yearly
    "appraisal": 12,  # 民主评议党员: yearly
}


def seed(apps, schema_editor):
    MeetingRule = apps.get_model("meetings", "MeetingRule")
    LifeRule = apps.get_model("meetings", "LifeRule")
    for meeting_type, months in DEFAULTS.items():
        MeetingRule.objects.get_or_create(
            meeting_type=meeting_type, defaults={"every_months": months, "default_every_months": months}
        )
    LifeRule.objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("meetings", "MeetingRule").objects.all().delete()
    apps.get_model("meetings", "LifeRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meetings_rules_and_records")]
    operations = [migrations.RunPython(seed, unseed)]
