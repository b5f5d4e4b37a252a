"""analyze / analyze_many: one parse, extractors in order, errors become warnings or failures."""
import pytest

import newsgraph
from newsgraph import pipeline
from newsgraph.errors import EmptyInput, TooLarge, UnsupportedLanguage
from newsgraph.ingest import Article
from newsgraph.record import Failure, span_problems
from newsgraph.settings import Settings
from newsgraph.steps import Step

STORY = ("Dock workers in Marlow voted on Friday to end their strike, union leader Rosa Diaz said. "
         "“We won what we came for,” she told reporters.")


def test_analyze_accepts_text_dict_and_article(nlp):
    by_text = newsgraph.analyze(STORY)
    by_dict = newsgraph.analyze({"id": "x1", "text": STORY, "source": "Coast Daily", "published": "2024-02-02"})
    by_article = newsgraph.analyze(Article(text=STORY, id="x2", title="Strike ends"))
    assert by_text.text == by_dict.text == by_article.text == STORY
    assert by_text.id == newsgraph.ingest.text_id(STORY)
    assert (by_dict.id, by_dict.source, by_dict.published) == ("x1", "Coast Daily", "2024-02-02")
    assert by_article.title == "Strike ends"
    for rec in (by_text, by_dict, by_article):
        assert span_problems(rec) == []
        assert set(rec.extractors) >= {"entities"}


@pytest.mark.parametrize("item, settings, error", [
    ("   ", Settings(), EmptyInput),
    (STORY * 10, Settings(max_chars=200), TooLarge),
    ("Les dockers de Marlow ont voté vendredi la fin de la grève, a déclaré la dirigeante syndicale.",
     Settings(), UnsupportedLanguage),
])
def test_analyze_refuses_bad_input_with_typed_errors(item, settings, error):
    with pytest.raises(error):
        newsgraph.analyze(item, settings)


def test_analyze_many_keeps_order_and_yields_failures(nlp):
    items = [STORY, {"id": "empty", "text": ""}, {"id": "b", "text": STORY.replace("Friday", "Sunday")}, 42]
    out = list(newsgraph.analyze_many(items, settings=Settings(batch_size=2)))
    assert [type(r).__name__ for r in out] == ["Analysis", "Failure", "Analysis", "Failure"]
    assert out[1].id == "empty" and out[1].error == "EmptyInput"
    assert out[2].id == "b" and "Sunday" in out[2].text
    assert "pass a str" in out[3].message


def test_a_crashing_extractor_becomes_a_warning(monkeypatch, nlp):
    def boom(doc, record, settings):
        raise RuntimeError("lexicon file is corrupt")

    real = pipeline.steps_for(Settings(extractors=["entities"]))
    monkeypatch.setattr(pipeline, "steps_for", lambda s: [Step("broken", "broken.v0", (), boom)] + real)
    rec = newsgraph.analyze(STORY, Settings(extractors=["entities"]))
    assert any("broken.v0 failed" in w and "lexicon file is corrupt" in w for w in rec.warnings)
    assert rec.entities, "the other extractors still ran"
    assert "broken" not in rec.extractors and "entities" in rec.extractors


def test_unknown_extractor_is_a_clear_error():
    with pytest.raises(newsgraph.ExtractorError, match="unknown extractor 'sentiment'"):
        pipeline.steps_for(Settings(extractors=["sentiment"]))


def test_requirements_run_first():
    names = [s.name for s in pipeline.steps_for(Settings(extractors=["quotes"]))]
    assert names.index("entities") < names.index("quotes")
