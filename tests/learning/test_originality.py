"""The originality check: measured recall on disguised copies and false positives on originals."""

import random
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.learning import checker, originality, services, synthetic
from dangjian.learning.models import Reflection, ReflectionMatch, Signature

SEED_DOC = Path("/work/shared/seed/000_1c6e07971d56a02a.txt")


def test_canonical_form_folds_width_punctuation_and_synonyms():
    canon = originality.Canonicaliser()
    a = canon.canonical("基层党建工作创新发展，要打好基础、做好服务项目。")
    b = canon.canonical("基层党建工作创新开展,要打好根底、做好效劳工程!")
    assert a.text == b.text
    c = canon.canonical("ＡＢＣ１２３。")
    assert c.text == "abc123"
    # Offsets lead back to the original characters.
    text = "第一句。第二句话"
    d = canon.canonical(text)
    assert [text[i] for i in d.offsets] == list(d.text)
    assert len(d.sentences()) == 2


def test_extended_synonym_table():
    canon = originality.Canonicaliser([*originality.DEFAULT_SYNONYMS, ("认真", "仔细")])
    assert canon.canonical("仔细学习").text == canon.canonical("认真学习").text


def test_recall_and_false_positive_rate_small_scale():
    """300 stored reflections, 60 disguised copies, 60 unrelated originals."""
    rng = random.Random(7)
    canon = originality.Canonicaliser()
    docs = [synthetic.reflection(rng) for _ in range(300)]
    index = originality.LshIndex()
    index.add_many(list(range(len(docs))), originality.minhash_many(
        [originality.shingle_hashes_all(canon.canonical(d)) for d in docs]))

    def fetch(keys):
        return {k: docs[k] for k in keys}

    found = 0
    for _ in range(60):
        j = rng.randrange(len(docs))
        result = originality.check(synthetic.disguise(rng, docs[j]), index, fetch, canon)
        found += any(m.key == j for m in result.matches)
    false = sum(originality.check(synthetic.reflection(rng), index, fetch, canon).flagged for _ in range(60))
    recall, fpr = found / 60, false / 60
    assert recall >= 0.95, recall
    assert fpr <= 0.02, fpr


def test_half_copied_reflection_is_still_found():
    rng = random.Random(3)
    canon = originality.Canonicaliser()
    source = synthetic.reflection(rng, sentences=(14, 14))
    index = originality.LshIndex()
    index.add_many([1], originality.signatures_for(canon.canonical(source)))
    sentences = [s + "。" for s in source.replace("\n", "").split("。") if s]
    own = [synthetic.sentence(rng) for _ in range(3)]
    result = originality.check("".join(sentences[:11] + own), index, lambda ks: {1: source}, canon)
    assert result.flagged and result.matches[0].query_containment >= 0.6


# ------------------------------------------------------------------ through the service


def _body(rng):
    return synthetic.reflection(rng)


def test_copy_flagged_with_passages_side_by_side(tree, member_a, member_b, member_user, officer):
    rng = random.Random(11)
    original = services.reflection_submit(by=officer, member=member_b, title="学习体会", body=_body(rng))
    assert original.verdict == Reflection.Verdict.ORIGINAL
    copy = services.reflection_submit(by=member_user, member=member_a, title="我的体会",
                                      body=synthetic.disguise(rng, original.body))
    assert copy.verdict == Reflection.Verdict.FLAGGED and copy.score >= 0.8
    match = copy.matches.get()
    assert match.kind == "reflection" and match.other_id == original.pk
    assert len(match.passages) >= 5
    canon = checker.canonicaliser()
    # Pairs: a copied sentence and its source sentence; most are equal once canonicalised
    # (the rest differ by a substitution the table does not know, such as 认真 -> 仔细).
    same = [canon.canonical(p["mine"]).text == canon.canonical(p["theirs"]).text for p in match.passages]
    assert sum(same) >= len(same) / 2
    assert all(p["theirs"] in original.body for p in match.passages)
    assert Signature.objects.filter(kind="reflection").count() == 2


def test_copy_of_registered_source_with_synonyms_reversed(tree, member_a, member_user, officer):
    text = SEED_DOC.read_text(encoding="utf-8")
    services.source_register(by=officer, title="新时代基层党建工作创新发展的途径分析", body=text)
    # The member "restores" the synonyms (开展 -> 发展, 根底 -> 基础) and copies one paragraph.
    paragraph = text[1200:1700].replace("开展", "发展").replace("根底", "基础").replace("效劳", "服务")
    r = services.reflection_submit(by=member_user, member=member_a, title="读后感", body=paragraph)
    assert r.verdict == Reflection.Verdict.FLAGGED
    assert r.matches.get().kind == "source"


def test_index_survives_restart(tree, member_a, member_b, officer):
    rng = random.Random(5)
    first = services.reflection_submit(by=officer, member=member_b, title="一", body=_body(rng))
    checker.reset()  # a new process: nothing in memory, signatures in the database
    second = services.reflection_submit(by=officer, member=member_a, title="二", body=synthetic.disguise(rng, first.body))
    assert second.verdict == Reflection.Verdict.FLAGGED


def test_original_reflections_are_not_flagged(tree, member_a, member_b, officer):
    rng = random.Random(9)
    for i in range(15):
        services.reflection_submit(by=officer, member=member_b, title=f"体会{i}", body=_body(rng))
    assert not Reflection.objects.filter(verdict="flagged").exists()
    assert not ReflectionMatch.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n  ", "。，！？、……", "学习了。"])
def test_empty_or_too_short_reflection(tree, member_a, member_user, body):
    with pytest.raises(ValidationError) as err:
        services.reflection_submit(by=member_user, member=member_a, title="心得", body=body)
    assert "body" in err.value.message_dict
    assert not Reflection.objects.exists() and not Signature.objects.exists()


def test_member_cannot_submit_for_another(tree, member_b, member_user):
    with pytest.raises(Http404):  # another branch's member does not exist for them
        services.reflection_submit(by=member_user, member=member_b, title="x", body=_body(random.Random(1)))


def test_synonym_added_reindexes(tree, member_a, member_b, officer, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-very-long-1")
    body = "我们要认真学习党的理论，认真做好群众工作，认真落实各项制度要求，认真总结经验教训。" * 3
    services.reflection_submit(by=officer, member=member_b, title="一", body=body)
    disguised = body.replace("认真", "用心")
    assert services.reflection_submit(by=officer, member=member_a, title="二", body=disguised).verdict == "original"
    services.synonym_add(by=admin, words="认真 用心")
    assert services.reflection_submit(by=officer, member=member_a, title="三", body=disguised).verdict == "flagged"
    with pytest.raises(ValidationError):
        services.synonym_add(by=officer, words="甲 乙")
