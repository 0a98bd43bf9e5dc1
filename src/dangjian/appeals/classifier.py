"""Category suggestion: jieba segmentation + multinomial naive Bayes in numpy.

Trained on the labelled examples shipped in data/appeals_labelled.tsv (one
"category<TAB>text" per line). Staff always confirm or correct the suggestion.
"""

import functools
import logging
import math
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jieba
import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "appeals_labelled.tsv"
jieba.setLogLevel(logging.WARNING)

# Function words and punctuation carry no signal about the category.
_STOP = set("的了是在我我们你他她它这那有和与就都也还很又被把给对于从到吗呢吧啊呀啦，。！？、；：“”‘’（）()《》 ,.!?;:\n\t")


def tokens(text: str) -> list[str]:
    """jieba words plus character bigrams (these catch words jieba splits differently)."""
    words = [w.strip() for w in jieba.lcut(text)]
    words = [w for w in words if w and w not in _STOP and not w.isdigit()]
    han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
    return words + [han[i:i + 2] for i in range(len(han) - 1)]


def load_examples(path: Path = DATA) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        rows.append((label.strip(), text.strip()))
    return rows


@dataclass
class NaiveBayes:
    labels: list[str]
    vocab: dict[str, int]
    log_prior: np.ndarray  # (labels,)
    log_lik: np.ndarray  # (labels, vocab)

    @classmethod
    def fit(cls, examples: list[tuple[str, str]], *, alpha: float = 0.3) -> "NaiveBayes":
        labels = sorted({label for label, _ in examples})
        docs = [(labels.index(label), tokens(text)) for label, text in examples]
        vocab = {w: i for i, w in enumerate(sorted({w for _, ws in docs for w in ws}))}
        counts = np.zeros((len(labels), len(vocab)))
        prior = np.zeros(len(labels))
        for li, ws in docs:
            prior[li] += 1
            for w, n in Counter(ws).items():
                counts[li, vocab[w]] += n
        smoothed = counts + alpha
        log_lik = np.log(smoothed / smoothed.sum(axis=1, keepdims=True))
        return cls(labels, vocab, np.log(prior / prior.sum()), log_lik)

    def scores(self, text: str) -> np.ndarray:
        x = np.zeros(len(self.vocab))
        for w in tokens(text):
            i = self.vocab.get(w)
            if i is not None:
                x[i] += 1
        return self.log_prior + self.log_lik @ x

    def predict(self, text: str) -> str:
        return self.labels[int(np.argmax(self.scores(text)))]


def split(examples, *, test_share: float = 0.2, seed: int = 20260101):
    """Stratified train/test split, deterministic."""
    rng = random.Random(seed)
    by_label: dict[str, list] = {}
    for ex in examples:
        by_label.setdefault(ex[0], []).append(ex)
    train, test = [], []
    for label in sorted(by_label):
        rows = by_label[label][:]
        rng.shuffle(rows)
        k = max(1, math.floor(len(rows) * test_share))
        test.extend(rows[:k])
        train.extend(rows[k:])
    return train, test


def evaluate(*, seed: int = 20260101) -> dict:
    """Held-out accuracy against the majority-class baseline."""
    train, test = split(load_examples(), seed=seed)
    model = NaiveBayes.fit(train)
    correct = sum(model.predict(text) == label for label, text in test)
    majority = Counter(label for label, _ in train).most_common(1)[0][0]
    baseline = sum(label == majority for label, _ in test)
    return {
        "train": len(train), "test": len(test), "labels": len(model.labels),
        "accuracy": correct / len(test), "baseline": baseline / len(test),
    }


@functools.cache
def model() -> NaiveBayes:
    return NaiveBayes.fit(load_examples())


def suggest(text: str) -> str:
    """The most likely category for a text; "other" if no known word appears."""
    m = model()
    if not any(w in m.vocab for w in tokens(text)):
        return "other"
    return m.predict(text)
