"""Seed the single dues-rules row with the DOMAIN.md defaults (values written out here on purpose)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    "employed_limit_1": Decimal("3000"), "employed_limit_2": Decimal("5000"),
    "employed_limit_3": Decimal("10000"),
    "employed_rate_1": Decimal("0.5"), "employed_rate_2": Decimal("1"),
    "employed_rate_3": Decimal("1.5"), "employed_rate_4": Decimal("2"),
    "retired_limit_1": Decimal("5000"), "retired_rate_1": Decimal("0.5"), "retired_rate_2": Decimal("1"),
    "fixed_default": Decimal("0.50"), "fixed_min": Decimal("0.20"), "fixed_max": Decimal("1.00"),
    "warn_months": 3, "alarm_months": 5,
}


def seed(apps, schema_editor):
    apps.get_model("dues", "DuesRules").objects.get_or_create(pk=1, defaults=DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_dues_ledger_payments_remittances")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
