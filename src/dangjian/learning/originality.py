"""Originality check for study reflections: pure Python + numpy, no Django.

Pipeline (docs/learning.md has the measurements):

1. Canonical text: NFKC (full width -> half width), lower case, punctuation and
   spaces dropped, sentence breaks kept, and every word of a synonym group
   replaced by the group's first word (发展/开展, 基础/根底, ...), so that a copy
   disguised by synonym substitution canonicalises to the same string. Each
   canonical character remembers its offset in the original, to show passages.
2. Shingles: character 5-grams *inside* sentences (a reordered copy keeps all
   of them), hashed with a stable 64-bit rolling hash (not Python's salted hash:
   signatures are stored in the database).
3. MinHash (128 permutations, multiply-shift hashing, vectorised in numpy) and
   LSH banding (32 bands x 4 rows: candidates from Jaccard about 0.4 upward).
   Band keys live in sorted numpy arrays (searchsorted), which holds 100,000+
   documents in tens of megabytes instead of millions of dict entries.
4. Verification of the candidates by exact shingle containment, then sentence
   pairs (query sentence -> best matching candidate sentence) for the
   side-by-side view.

Own MinHash rather than datasketch: no new dependency, and signatures for a
whole batch are computed in one numpy pass (the benchmark indexes 100,000
documents; datasketch hashes one document at a time in Python).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

K = 5  # shingle length in characters
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
WINDOW = 600  # canonical characters per LSH entry for long documents (registered sources)
MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

# Flag when this share of the query's shingles is found in one document, or
# when a document of at least MIN_SHINGLES is this much contained in the query.
QUERY_CONTAINMENT = 0.6
DOC_CONTAINMENT = 0.8
MIN_SHINGLES = 30
# Candidates whose signatures agree on fewer slots than this are not worth fetching.
MIN_ESTIMATE = 0.15

_SENTENCE_END = set("。！？；!?;\n\r")
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
_RUN = re.compile(r"[^\W_]+|[。！？；!?;\n\r]")
_rng = np.random.default_rng(20240701)
_A = (_rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_BAND_MUL = _rng.integers(1, 2**63, ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_P = np.uint64(1_000_003)
_POW = np.array([pow(1_000_003, K - 1 - j, 2**64) for j in range(K)], dtype=np.uint64)


# ---------------------------------------------------------------- synonyms

DEFAULT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("发展", "开展"),
    ("基础", "根底"),
    ("服务", "效劳"),
    ("项目", "工程"),
    ("高标准", "高标注"),
)


class Canonicaliser:
    """Maps any word of a synonym group to the group's first word."""

    def __init__(self, groups: Iterable[Sequence[str]] = DEFAULT_SYNONYMS):
        self.mapping: dict[str, str] = {}
        for group in groups:
            words = [unicodedata.normalize("NFKC", w).strip().lower() for w in group if w and w.strip()]
            if len(words) < 2:
                continue
            canon = self.mapping.get(words[0], words[0])
            for w in words:
                self.mapping[w] = canon
        # Equal-length groups (the usual case) allow replacing in place, offsets unchanged.
        self.same_length = all(len(w) == len(c) for w, c in self.mapping.items())
        alternatives = sorted(self.mapping, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def canonical(self, text: str) -> Canonical:
        """Sentences of canonical characters, each char with its offset in `text`."""
        text = text or ""
        # Full-width ASCII to half width by table: NFKC of a whole text costs 20x more.
        flat = text.translate(_HALF_WIDTH).lower()
        if len(flat) != len(text) or not self.same_length:
            return self._canonical_slow(text)
        if self.pattern is not None:
            flat = self.pattern.sub(lambda m: self.mapping[m.group(0)], flat)
        chars: list[str] = []
        offsets: list[int] = []
        sentence_of: list[int] = []
        sentence, pending_break = 0, False
        for m in _RUN.finditer(flat):
            run = m.group(0)
            if run[0] in _SENTENCE_END:
                pending_break = bool(chars)
                continue
            if pending_break:
                sentence += 1
                pending_break = False
            chars.append(run)
            offsets.extend(range(m.start(), m.end()))
            sentence_of.extend([sentence] * len(run))
        return Canonical("".join(chars), offsets, sentence_of)

    def _canonical_slow(self, text: str) -> Canonical:
        """Character by character, for texts whose normalisation changes their length."""
        chars: list[str] = []
        offsets: list[int] = []
        sentence_of: list[int] = []
        sentence = 0
        pending_break = False
        i, n = 0, len(text)
        pattern = self.pattern
        while i < n:
            if pattern is not None:
                m = pattern.match(unicodedata.normalize("NFKC", text[i : i + 4]).lower())
                if m:
                    word = m.group(0)
                    if unicodedata.normalize("NFKC", text[i : i + len(word)]).lower() == word:
                        if pending_break:
                            sentence += 1
                            pending_break = False
                        for j, c in enumerate(self.mapping[word]):
                            chars.append(c)
                            offsets.append(i + min(j, len(word) - 1))
                            sentence_of.append(sentence)
                        i += len(word)
                        continue
            for c in unicodedata.normalize("NFKC", text[i]).lower():
                if c in _SENTENCE_END:
                    pending_break = bool(chars)
                elif c.isalnum():
                    if pending_break:
                        sentence += 1
                        pending_break = False
                    chars.append(c)
                    offsets.append(i)
                    sentence_of.append(sentence)
            i += 1
        return Canonical("".join(chars), offsets, sentence_of)


@dataclass
class Canonical:
    text: str
    offsets: list[int]
    sentence_of: list[int]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) ranges of each sentence in the canonical text."""
        out: list[tuple[int, int]] = []
        start = 0
        for i in range(1, len(self.sentence_of) + 1):
            if i == len(self.sentence_of) or self.sentence_of[i] != self.sentence_of[start]:
                out.append((start, i))
                start = i
        return out


# ---------------------------------------------------------------- shingles and MinHash


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the rolling hash over all 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(canon: Canonical, start: int = 0, end: int | None = None) -> np.ndarray:
    """Sorted unique 64-bit hashes of the K-grams within sentences of canon[start:end]."""
    end = len(canon.text) if end is None else end
    if end - start < K:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(canon.text[start:end].encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sent = np.asarray(canon.sentence_of[start:end])
    n = len(codes) - K + 1
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for j in range(K):
            h += codes[j : j + n] * _POW[j]
        valid = sent[: n] == sent[K - 1 : K - 1 + n]
        return np.unique(_mix(h[valid]))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """NUM_PERM uint32 minima of ((a*x + b) mod 2^64) >> 32 (multiply-shift)."""
    if len(hashes) == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        values = (hashes[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return values.min(axis=0).astype(np.uint32)


def minhash_many(hash_sets: Sequence[np.ndarray], chunk: int = 16_384) -> np.ndarray:
    """Signatures of many shingle sets in batches (one numpy pass per batch)."""
    out = np.full((len(hash_sets), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    lengths = np.array([len(h) for h in hash_sets])
    start = 0
    while start < len(hash_sets):
        stop, total = start, 0
        while stop < len(hash_sets) and (total + lengths[stop] <= chunk or stop == start):
            total += lengths[stop]
            stop += 1
        group = [h for h in hash_sets[start:stop]]
        if total:
            flat = np.concatenate(group)
            owners = np.repeat(np.arange(start, stop), lengths[start:stop])
            with np.errstate(over="ignore"):
                values = ((flat[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).astype(np.uint32)
            bounds = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
            mins = np.minimum.reduceat(values, bounds, axis=0)
            out[np.unique(owners)] = mins
        start = stop
    return out


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 keys: each band's ROWS values folded into one number."""
    sig = np.asarray(signatures, dtype=np.uint64).reshape(-1, BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = (sig * _BAND_MUL[None, None, :]).sum(axis=2, dtype=np.uint64)
        keys = _mix(keys + np.arange(BANDS, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15))
    return keys


# ---------------------------------------------------------------- documents


def windows(canon: Canonical) -> list[tuple[int, int]]:
    """LSH entries of a document: the whole text, or for long texts sentence-aligned
    windows of about WINDOW characters overlapping by half, so that a copied
    passage of up to WINDOW characters lies mostly inside one of them."""
    n = len(canon.text)
    if n <= WINDOW:
        return [(0, n)]
    sentences = canon.sentences()
    ends = [e for _, e in sentences]
    out: list[tuple[int, int]] = []
    last_start = None
    for start, _ in sentences:
        if last_start is not None and start - last_start < WINDOW // 2:
            continue
        end = next((e for e in ends if e - start >= WINDOW), n)
        out.append((start, end))
        last_start = start
        if end == n:
            break
    return out


def signatures_for(canon: Canonical) -> np.ndarray:
    """(entries, NUM_PERM) uint32: one signature per window."""
    return minhash_many([shingle_hashes(canon, s, e) for s, e in windows(canon)])


# ---------------------------------------------------------------- the index


class LshIndex:
    """Band keys in sorted arrays pointing at entries (one per document window);
    each entry keeps its signature, so candidates are ranked by estimated Jaccard
    before any text is fetched. New entries wait in a small buffer merged in batches."""

    def __init__(self):
        self.keys = np.zeros((BANDS, 0), dtype=np.uint64)  # sorted per band
        self.entries = np.zeros((BANDS, 0), dtype=np.int64)  # entry number per sorted position
        self.sigs = np.zeros((0, NUM_PERM), dtype=np.uint32)
        self.owner = np.zeros(0, dtype=np.int64)
        self._buffer: list[tuple[int, np.ndarray]] = []

    @property
    def size(self) -> int:
        return len(self.owner) + len(self._buffer)

    def add_many(self, owners: Sequence[int], signatures: np.ndarray) -> None:
        if len(owners) == 0:
            return
        signatures = np.asarray(signatures, dtype=np.uint32).reshape(-1, NUM_PERM)
        first = len(self.owner)
        self.sigs = np.concatenate([self.sigs, signatures])
        self.owner = np.concatenate([self.owner, np.asarray(owners, dtype=np.int64)])
        new_entries = np.arange(first, first + len(signatures), dtype=np.int64)
        keys = band_keys(signatures).T  # (BANDS, n)
        all_keys = np.concatenate([self.keys, keys], axis=1)
        all_entries = np.concatenate([self.entries, np.broadcast_to(new_entries, keys.shape)], axis=1)
        order = np.argsort(all_keys, axis=1, kind="stable")
        self.keys = np.take_along_axis(all_keys, order, axis=1)
        self.entries = np.take_along_axis(all_entries, order, axis=1)

    def add(self, owner: int, signatures: np.ndarray) -> None:
        for sig in np.atleast_2d(signatures):
            self._buffer.append((owner, np.asarray(sig, dtype=np.uint32)))
        if len(self._buffer) >= 2000:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            owners = [o for o, _ in self._buffer]
            sigs = np.stack([s for _, s in self._buffer])
            self._buffer = []
            self.add_many(owners, sigs)

    def candidates(self, signatures: np.ndarray) -> dict[int, float]:
        """{doc key: best estimated Jaccard} over the documents sharing a band with a query window."""
        best: dict[int, float] = {}
        for qsig in np.atleast_2d(signatures):
            qkeys = band_keys(qsig[None, :])[0]
            hits: list[np.ndarray] = []
            for b in range(BANDS):
                row = self.keys[b]
                lo = np.searchsorted(row, qkeys[b], side="left")
                hi = np.searchsorted(row, qkeys[b], side="right")
                if hi > lo:
                    hits.append(self.entries[b, lo:hi])
            if hits:
                entries = np.unique(np.concatenate(hits))
                estimate = (self.sigs[entries] == qsig[None, :]).mean(axis=1)
                for owner, est in zip(self.owner[entries].tolist(), estimate.tolist(), strict=True):
                    if est > best.get(owner, -1.0):
                        best[owner] = est
            for owner, sig in self._buffer:
                est = float((sig == qsig).mean())
                if est > best.get(owner, -1.0) and (band_keys(sig[None, :])[0] == qkeys).any():
                    best[owner] = est
        return best


# ---------------------------------------------------------------- verification


@dataclass
class Passage:
    query_text: str
    match_text: str
    query_span: tuple[int, int]
    match_span: tuple[int, int]


@dataclass
class Match:
    key: int
    query_containment: float  # share of the query's shingles found in the document
    doc_containment: float  # share of the document's shingles found in the query
    passages: list[Passage] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(self.query_containment, self.doc_containment)


def is_copy(match: Match, doc_shingles: int) -> bool:
    return match.query_containment >= QUERY_CONTAINMENT or (
        doc_shingles >= MIN_SHINGLES and match.doc_containment >= DOC_CONTAINMENT
    )


def _sentence_sets(canon: Canonical) -> list[tuple[tuple[int, int], set[int]]]:
    return [((s, e), set(shingle_hashes(canon, s, e).tolist())) for s, e in canon.sentences()]


def _original_span(canon: Canonical, s: int, e: int) -> tuple[int, int]:
    return canon.offsets[s], canon.offsets[e - 1] + 1


def passages(q_text: str, q: Canonical, d_text: str, d: Canonical, min_share: float = 0.5) -> list[Passage]:
    """Query sentences paired with the candidate sentence sharing most of their shingles."""
    d_sets = _sentence_sets(d)
    where: dict[int, list[int]] = {}
    for idx, (_, shingles) in enumerate(d_sets):
        for h in shingles:
            where.setdefault(h, []).append(idx)
    out: list[Passage] = []
    for (s, e), shingles in _sentence_sets(q):
        if not shingles:
            continue
        votes: dict[int, int] = {}
        for h in shingles:
            for idx in where.get(h, ()):
                votes[idx] = votes.get(idx, 0) + 1
        if not votes:
            continue
        best, count = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))
        if count / len(shingles) < min_share:
            continue
        qs, qe = _original_span(q, s, e)
        (ds_, de_), _ = d_sets[best]
        ms, me = _original_span(d, ds_, de_)
        out.append(Passage(q_text[qs:qe], d_text[ms:me], (qs, qe), (ms, me)))
    return out


def compare(q_text: str, q: Canonical, q_hashes: np.ndarray, key: int, d_text: str, canon: Canonicaliser,
            with_passages: bool = True) -> tuple[Match, int]:
    d = canon.canonical(d_text)
    d_hashes = shingle_hashes_all(d)
    common = len(np.intersect1d(q_hashes, d_hashes, assume_unique=True))
    match = Match(
        key=key,
        query_containment=common / len(q_hashes) if len(q_hashes) else 0.0,
        doc_containment=common / len(d_hashes) if len(d_hashes) else 0.0,
    )
    if with_passages and is_copy(match, len(d_hashes)):
        match.passages = passages(q_text, q, d_text, d)
    return match, len(d_hashes)


def shingle_hashes_all(canon: Canonical) -> np.ndarray:
    return shingle_hashes(canon, 0, len(canon.text))


@dataclass
class CheckResult:
    shingles: int
    candidates: int
    matches: list[Match]  # flagged, best first

    @property
    def flagged(self) -> bool:
        return bool(self.matches)

    @property
    def score(self) -> float:
        return self.matches[0].score if self.matches else 0.0


def check(text: str, index: LshIndex, fetch, canon: Canonicaliser, *, exclude: set[int] = frozenset(),
          with_passages: bool = True, max_candidates: int = 50) -> CheckResult:
    """Candidates from the index, verified against texts from fetch(keys) -> {key: text}."""
    q = canon.canonical(text)
    q_hashes = shingle_hashes_all(q)
    sigs = signatures_for(q)
    hits = {k: est for k, est in index.candidates(sigs).items() if k not in exclude}
    # Verify the likeliest first, and only those whose signatures agree enough:
    # a flagged copy shares most of its shingles, so its estimated Jaccard is well above this.
    keys = sorted((k for k, est in hits.items() if est >= MIN_ESTIMATE), key=lambda k: (-hits[k], k))[:max_candidates]
    texts = fetch(keys) if keys else {}
    matches = []
    for key, d_text in texts.items():
        match, d_count = compare(text, q, q_hashes, key, d_text, canon, with_passages)
        if is_copy(match, d_count):
            matches.append(match)
    matches.sort(key=lambda m: -m.score)
    return CheckResult(shingles=len(q_hashes), candidates=len(hits), matches=matches)
