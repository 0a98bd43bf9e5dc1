"""Key rotation: every identifier re-encrypted and every blind index rebuilt under new keys.

The procedure (docs/operations.md):
1. New keys become current and the old ones "previous" (`rotate_keys --new-keys`
   for var/secrets.json, or the DANGJIAN_*_KEY and *_KEY_PREVIOUS variables);
   restart the web and worker processes. From then on identifiers are read
   under either key and written under the new one, and look-ups by ID number or
   phone try the index under each key.
2. `rotate_keys` walks every table holding encrypted fields in primary-key order,
   in batches, each batch one transaction: a value sealed under a previous key is
   decrypted and sealed again, its blind index recomputed. The last key done per
   table is kept in a KeyRotation row, so an interrupted run resumes where it
   stopped. One audit entry when it finishes.
3. `rotate_keys --finish` drops the previous keys (refused until step 2 is done);
   restart again.
"""

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dangjian.audit.services import Action, audit_record
from dangjian.core import crypto
from dangjian.core.fields import EncryptedTextField
from dangjian.core.files import locked, write_private
from dangjian.operations.backup import fingerprint
from dangjian.operations.models import KeyRotation

BATCH = 1000


class RotationError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    model: type
    fields: tuple[str, ...]  # encrypted fields
    indexes: dict  # encrypted field -> its blind-index field

    @property
    def label(self) -> str:
        return self.model._meta.label


def targets() -> list[Target]:
    """Every model with an encrypted field, and the blind index beside each (`<field>_index`)."""
    out = []
    for model in apps.get_models():
        fields = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField))
        if fields:
            names = {f.name for f in model._meta.concrete_fields}
            out.append(Target(model, fields, {f: f"{f}_index" for f in fields if f"{f}_index" in names}))
    return sorted(out, key=lambda t: t.label)


def _secrets_path() -> Path:
    return Path(settings.VAR_DIR) / "secrets.json"


def keys_new(*, path: Path | None = None) -> dict:
    """Step 1 for the key file: new field and index keys current, the old ones previous."""
    path = path or _secrets_path()
    if os.environ.get("DANGJIAN_FIELD_KEY"):
        raise RotationError("the keys come from the environment: set the new keys there, the old ones in "
                            "DANGJIAN_FIELD_KEY_PREVIOUS and DANGJIAN_INDEX_KEY_PREVIOUS, and restart")
    with locked(path):
        stored = json.loads(path.read_text())
        if stored.get("previous_field_encryption_keys"):
            raise RotationError("a rotation is under way: run rotate_keys, then rotate_keys --finish")
        stored["previous_field_encryption_keys"] = [stored["field_encryption_key"]]
        stored["previous_blind_index_keys"] = [stored["blind_index_key"]]
        stored["field_encryption_key"] = base64.b64encode(secrets.token_bytes(32)).decode()
        stored["blind_index_key"] = base64.b64encode(secrets.token_bytes(32)).decode()
        _write(path, stored)
    return stored


def _write(path: Path, data: dict) -> None:
    write_private(path, json.dumps(data, indent=2))


def _rotation() -> KeyRotation:
    new = fingerprint(settings.FIELD_ENCRYPTION_KEY + settings.BLIND_INDEX_KEY)
    old = fingerprint("".join([*settings.PREVIOUS_FIELD_ENCRYPTION_KEYS, *settings.PREVIOUS_BLIND_INDEX_KEYS]))
    rotation, _created = KeyRotation.objects.get_or_create(
        new_fingerprint=new, old_fingerprint=old, finished_at=None)
    return rotation


def _new_index(old: str, value: str) -> str:
    """The value's index under the current key. An index with a tag before a colon keeps its tag:
    a member entered in error frees its ID number as `E<pk>:<index>` (orgs.services), and
    must not take the index of the record that replaced it."""
    if not value:
        return ""
    index = crypto.blind_index(value)
    tag, colon, _rest = old.partition(":")
    return f"{tag}:{index}"[:len(old)] if colon else index


def _check_duplicates(target: Target, rows: list) -> None:
    """Refuse a batch whose new indexes meet another row's index (in the batch or in the table).

    For a unique index (a member's ID number) any meeting is a duplicate record, e.g. one an
    import registered during the rotation, when only the current key's index was checked. For
    the others a meeting of two different values is a collision of the index itself. Either way
    look-ups would answer the wrong row: the batch writes nothing and the error names the rows
    (never their values), so the duplicate can be settled and the rotation resumed."""
    model = target.model
    for field, index_field in target.indexes.items():
        unique = model._meta.get_field(index_field).unique
        by_index: dict[str, list] = {}
        for obj in rows:
            if getattr(obj, index_field):
                by_index.setdefault(getattr(obj, index_field), []).append(obj)
        if not by_index:
            continue
        others = (model._base_manager.filter(**{f"{index_field}__in": list(by_index)})
                  .exclude(pk__in=[obj.pk for obj in rows]).only("pk", field, index_field))
        for other in others.iterator(chunk_size=1000):
            by_index[getattr(other, index_field)].append(other)
        for group in by_index.values():
            if len(group) < 2:
                continue
            values = {crypto.normalise(getattr(obj, field)) for obj in group}
            if unique or len(values) > 1:
                pks = ", ".join(str(pk) for pk in sorted(obj.pk for obj in group))
                what = "duplicate records" if unique and len(values) == 1 else "a blind index collision"
                raise RotationError(
                    f"{model._meta.label}.{field}: rows {pks} would share one index under the new key "
                    f"({what}); nothing of this batch was written. Settle them (a duplicate member is "
                    f"marked entered in error) and run rotate_keys again: it goes on from this batch")


@dataclass
class RotationResult:
    rows: int
    rewritten: int
    finished: bool


def keys_rotate(*, batch: int = BATCH, limit: int | None = None, progress=None) -> RotationResult:
    """Step 2: re-encrypt and re-index every row not yet under the current keys; resumable.

    `limit` stops after that many batches (for a run in steps; the next run goes on)."""
    if not (settings.PREVIOUS_FIELD_ENCRYPTION_KEYS or settings.PREVIOUS_BLIND_INDEX_KEYS):
        raise RotationError("no previous keys are configured: start with rotate_keys --new-keys (or set the "
                            "*_PREVIOUS variables) and restart the platform")
    rotation = _rotation()
    done = dict(rotation.progress)
    seen = rewritten = batches = 0
    for target in targets():
        if done.get(target.label) == "done":
            continue
        last = done.get(target.label, 0)
        names = list(target.fields) + list(target.indexes.values())
        while True:
            if limit is not None and batches >= limit:
                return RotationResult(seen, rewritten, False)
            with transaction.atomic():
                rows = list(target.model._base_manager.select_for_update().filter(pk__gt=last).order_by("pk")
                            .only("pk", *names)[:batch])
                changed = []
                for obj in rows:
                    for f in target.fields:
                        value = getattr(obj, f)  # decrypted under whichever key sealed it
                        if f in target.indexes:
                            setattr(obj, target.indexes[f], _new_index(getattr(obj, target.indexes[f]), value))
                    changed.append(obj)
                _check_duplicates(target, changed)
                if changed:
                    # Saving seals every value again under the current key.
                    target.model._base_manager.bulk_update(changed, names, batch_size=500)
                seen += len(rows)
                rewritten += len(changed)
                last = rows[-1].pk if rows else last
                done[target.label] = last if len(rows) == batch else "done"
                KeyRotation.objects.filter(pk=rotation.pk).update(progress=done, rows=rotation.rows + seen)
            batches += 1 if rows else 0
            if progress:
                progress(target.label, last, len(rows))
            if len(rows) < batch:
                break
    with transaction.atomic():
        KeyRotation.objects.filter(pk=rotation.pk).update(finished_at=timezone.now())
        audit_record(actor="rotate_keys", action=Action.UPDATE, target_repr="rotate_keys", changes={
            "rows": rotation.rows + seen, "tables": [t.label for t in targets()],
            "new_keys": rotation.new_fingerprint, "old_keys": rotation.old_fingerprint})
    return RotationResult(seen, rewritten, True)


def keys_finish(*, path: Path | None = None) -> None:
    """Step 3: forget the previous keys, once a rotation to the current keys has finished."""
    current = fingerprint(settings.FIELD_ENCRYPTION_KEY + settings.BLIND_INDEX_KEY)
    if not KeyRotation.objects.filter(new_fingerprint=current, finished_at__isnull=False).exists():
        raise RotationError("some rows may still be under a previous key: run rotate_keys until it finishes")
    if os.environ.get("DANGJIAN_FIELD_KEY_PREVIOUS") or os.environ.get("DANGJIAN_INDEX_KEY_PREVIOUS"):
        raise RotationError("remove DANGJIAN_FIELD_KEY_PREVIOUS and DANGJIAN_INDEX_KEY_PREVIOUS, and restart")
    path = path or _secrets_path()
    with locked(path):
        stored = json.loads(path.read_text())
        stored.pop("previous_field_encryption_keys", None)
        stored.pop("previous_blind_index_keys", None)
        _write(path, stored)
