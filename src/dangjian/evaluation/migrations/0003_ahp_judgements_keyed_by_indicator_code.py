"""AHP judgement matrices carry the codes of their rows (data only).

Before: Period.judgements = {"dimensions": [[...]], "<dimension>": [[...]]},
rows in the catalogue order of the day the matrix was saved, so a later change
of that order, or an indicator retired and another added, moved judgements
onto other indicators. After: {"<key>": {"order": [codes], "matrix": [[...]]}}.

The order recorded for an old matrix is the one the configuration form used:
the indicators in use, in catalogue order, as they are now. A matrix whose size
no longer matches them cannot be placed; it is kept with an empty order, and the
computation then uses equal weights for that level and says so (as it did before
for a size mismatch).
"""

from django.db import migrations

DIMENSIONS = ["cohesion", "influence", "capacity"]


def keyed(apps, schema_editor):
    Indicator = apps.get_model("evaluation", "Indicator")
    Period = apps.get_model("evaluation", "Period")
    codes = {d: [] for d in DIMENSIONS}
    for code, dim in Indicator.objects.filter(is_active=True).order_by("order", "id").values_list("code", "dimension"):
        codes.setdefault(dim, []).append(code)
    for period in Period.objects.only("pk", "judgements").iterator():
        if not period.judgements:
            continue
        converted = {}
        for key, matrix in (period.judgements or {}).items():
            if isinstance(matrix, dict):  # already keyed
                converted[key] = matrix
                continue
            order = DIMENSIONS if key == "dimensions" else codes.get(key, [])
            converted[key] = {"order": list(order) if len(order) == len(matrix) else [], "matrix": matrix}
        Period.objects.filter(pk=period.pk).update(judgements=converted)


def positional(apps, schema_editor):
    Period = apps.get_model("evaluation", "Period")
    for period in Period.objects.only("pk", "judgements").iterator():
        if not period.judgements:
            continue
        plain = {key: entry["matrix"] if isinstance(entry, dict) else entry
                 for key, entry in (period.judgements or {}).items()}
        Period.objects.filter(pk=period.pk).update(judgements=plain)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_default_indicators_and_scheme")]

    operations = [migrations.RunPython(keyed, positional)]
