"""The appeal taxonomy a new installation starts with: the first-level categories common to city
12345 hotlines (utilities, public facilities, urban management, markets and prices) and the ten the
platform had before, a few second-level ones, each with its usual handling unit and deadlines.

(code, name, parent code, default handling unit, accept within hours, resolve within days); None
keeps the installation's deadline. Migration 0005 seeds the same list (frozen there); this one fills
an empty table again after a flush (tests) through post_migrate. The rows are in data/taxonomy_seed.tsv.
"""

from pathlib import Path

OTHER = "other"

SEED_FILE = Path(__file__).resolve().parent / "data" / "taxonomy_seed.tsv"


def load_seed(path: Path = SEED_FILE) -> list[tuple[str, str, str | None, str, int | None, int | None]]:
    """The seed rows from the data file (names and units are stored data, kept out of the code)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, parent, unit, accept_hours, resolve_days = line.split("\t")
        rows.append((code, name, parent or None, unit, int(accept_hours) if accept_hours else None,
                     int(resolve_days) if resolve_days else None))
    return rows


SEED = load_seed()


def seed_rows(category_model, name_model, now) -> int:
    """Create the seed's categories in an empty table (history: their first names). Returns how many."""
    if category_model.objects.exists():
        return 0
    made = {}
    for position, (code, name, parent, unit, accept_hours, resolve_days) in enumerate(SEED, start=1):
        made[code] = category_model.objects.create(
            code=code, name=name, parent=made.get(parent), default_unit=unit, accept_hours=accept_hours,
            resolve_days=resolve_days, position=position * 10)
        name_model.objects.create(category=made[code], name=name, since=now)
    return len(made)
