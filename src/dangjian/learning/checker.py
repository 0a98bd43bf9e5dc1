"""The originality check against the database: signatures stored per document,
the LSH index rebuilt in memory lazily (first check in a process) and topped up
with rows written since, so it survives restarts and is shared by processes."""

import threading

import numpy as np
from django.db.models import Max, Min

from dangjian.learning import originality as engine
from dangjian.learning.models import DocKind, Reflection, Signature, Source, SynonymGroup

_lock = threading.Lock()
_state: dict = {"index": None, "lo": None, "hi": 0, "synonyms": None}


def _key(kind: str, doc_id: int) -> int:
    return doc_id * 2 + (1 if kind == DocKind.SOURCE else 0)


def _unkey(key: int) -> tuple[str, int]:
    return (DocKind.SOURCE if key % 2 else DocKind.REFLECTION), key // 2


def canonicaliser() -> engine.Canonicaliser:
    groups = [tuple(g.split()) for g in SynonymGroup.objects.values_list("words", flat=True)]
    key = tuple(groups)
    if _state["synonyms"] is None or _state["synonyms"][0] != key:
        _state["synonyms"] = (key, engine.Canonicaliser([*engine.DEFAULT_SYNONYMS, *groups]))
    return _state["synonyms"][1]


def _load(rows) -> tuple[list[int], np.ndarray]:
    owners, sigs = [], []
    for kind, doc_id, blob in rows:
        owners.append(_key(kind, doc_id))
        sigs.append(np.frombuffer(bytes(blob), dtype=np.uint32))
    return owners, (np.stack(sigs) if sigs else np.zeros((0, engine.NUM_PERM), dtype=np.uint32))


def index() -> engine.LshIndex:
    """The in-memory index, (re)built from the stored signatures as needed."""
    with _lock:
        bounds = Signature.objects.aggregate(lo=Min("id"), hi=Max("id"))
        if _state["index"] is None or bounds["lo"] != _state["lo"] or (bounds["hi"] or 0) < _state["hi"]:
            _state["index"], _state["hi"], _state["lo"] = engine.LshIndex(), 0, bounds["lo"]
        if (bounds["hi"] or 0) > _state["hi"]:
            rows = Signature.objects.filter(id__gt=_state["hi"]).order_by("id")
            owners, sigs = _load(rows.values_list("kind", "doc_id", "minhash"))
            _state["index"].add_many(owners, sigs)
            _state["hi"] = bounds["hi"]
        return _state["index"]


def reset() -> None:
    with _lock:
        _state.update(index=None, lo=None, hi=0, synonyms=None)


def fetch(keys) -> dict[int, str]:
    by_kind: dict[str, list[int]] = {DocKind.REFLECTION: [], DocKind.SOURCE: []}
    for key in keys:
        kind, doc_id = _unkey(key)
        by_kind[kind].append(doc_id)
    out = {_key(DocKind.REFLECTION, pk): body
           for pk, body in Reflection.objects.filter(pk__in=by_kind[DocKind.REFLECTION]).values_list("pk", "body")}
    out.update({_key(DocKind.SOURCE, pk): body
                for pk, body in Source.objects.filter(pk__in=by_kind[DocKind.SOURCE]).values_list("pk", "body")})
    return out


def check(text: str, *, exclude: tuple[str, int] | None = None) -> engine.CheckResult:
    excluded = {_key(*exclude)} if exclude else set()
    return engine.check(text, index(), fetch, canonicaliser(), exclude=excluded)


def store(kind: str, doc_id: int, text: str) -> None:
    """Replace a document's signatures (the index picks them up on its next use)."""
    Signature.objects.filter(kind=kind, doc_id=doc_id).delete()
    sigs = engine.signatures_for(canonicaliser().canonical(text))
    Signature.objects.bulk_create(
        Signature(kind=kind, doc_id=doc_id, window=i, minhash=sig.tobytes()) for i, sig in enumerate(sigs)
    )


def reindex_all(batch: int = 2000) -> int:
    """Recompute every signature (after the synonym table changed)."""
    Signature.objects.all().delete()
    canon = canonicaliser()
    count = 0
    for model, kind in ((Reflection, DocKind.REFLECTION), (Source, DocKind.SOURCE)):
        last = 0
        while True:
            rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "body")[:batch])
            if not rows:
                break
            objs = []
            for pk, body in rows:
                for i, sig in enumerate(engine.signatures_for(canon.canonical(body))):
                    objs.append(Signature(kind=kind, doc_id=pk, window=i, minhash=sig.tobytes()))
            Signature.objects.bulk_create(objs)
            count += len(rows)
            last = rows[-1][0]
    reset()
    return count


def unkey(key: int) -> tuple[str, int]:
    return _unkey(key)
