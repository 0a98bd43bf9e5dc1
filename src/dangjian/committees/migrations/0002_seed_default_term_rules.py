"""Default term lengths from DOMAIN.md: grassroots and community/village
committees 5 years, general-branch and branch committees 3 years."""

from django.db import migrations

DEFAULTS = {
    "county": 5,
    "street": 5,
    "community": 5,
    "grassroots": 5,
    "general_branch": 3,
    "branch": 3,
    "joint_branch": 3,
}


def seed(apps, schema_editor):
    TermRule = apps.get_model("committees", "TermRule")
    CommitteeRule = apps.get_model("committees", "CommitteeRule")
    for kind, years in DEFAULTS.items():
        TermRule.objects.get_or_create(kind=kind, defaults={"years": years, "default_years": years})
    CommitteeRule.objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("committees", "TermRule").objects.all().delete()
    apps.get_model("committees", "CommitteeRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_terms_and_seats")]
    operations = [migrations.RunPython(seed, unseed)]
