"""Each article text stands on its own: a settings page or a rule's help shows one of them alone, so
"同上" (as above) would point at nothing. Every text names its document."""

from dangjian.core.references import ARTICLES


def test_every_article_names_its_document_and_none_leans_on_another():
    for key, text in ARTICLES.items():
        assert not text.startswith("同上"), key
        assert "《" in text and "》" in text, key
