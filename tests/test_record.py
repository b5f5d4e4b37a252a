"""The record is the spine: round-trips losslessly and its span validator catches bad offsets."""
import json

import pytest

from newsgraph.record import (Analysis, Entity, Event, Location, Quote, Sentence, Technique,
                              span_problems)

TEXT = "“We will hold the line,” said Mayor Ana Ruiz on Friday."


def _record() -> Analysis:
    return Analysis(
        id="doc1", text=TEXT, title="Mayor vows", published="2024-05-03",
        entities=[Entity(id="e1", name="Ana Ruiz", type="PERSON", mentions=[(36, 44)],
                         description="Mayor", aliases=["Mayor Ana Ruiz"])],
        quotes=[Quote(id="q1", span=(1, 22), type="direct", speaker="e1", speaker_span=(36, 44),
                      cue=(25, 29), speaker_name="Ana Ruiz")],
        events=[Event(id="v1", type="REJECT", trigger=(13, 17), sentence=(0, len(TEXT)),
                      location=Location(name="Springfield", country="USA", lat=1.5, lon=-2.0),
                      killed=3, killed_hedge="at least", date="2024-05-03", date_precision="day", main=True)],
        techniques=[Technique(technique="Slogans", span=(1, 22), score=0.71, speaker="e1")],
        sentences=[Sentence(span=(0, len(TEXT)), techniques=["Slogans"], score=0.8)],
        extractors={"quotes": "quotes.test.v1"})


def test_round_trip_through_json_is_lossless():
    rec = _record()
    again = Analysis.from_dict(json.loads(json.dumps(rec.to_dict())))
    assert again == rec
    assert again.to_dict() == rec.to_dict()


def test_spec_fields_are_present_with_their_names():
    d = _record().to_dict()
    for key in ("id", "title", "url", "source", "published", "language", "text", "entities",
                "quotes", "events", "techniques", "warnings"):
        assert key in d
    assert set(d["quotes"][0]) >= {"id", "span", "type", "speaker", "speaker_span", "cue"}
    assert set(d["events"][0]) >= {"id", "type", "mode", "source", "target", "trigger", "sentence", "date",
                                   "location", "killed", "wounded", "cameo", "negated", "hypothetical"}
    assert set(d["events"][0]["location"]) >= {"name", "country", "lat", "lon"}  # spec names; fields may be added
    assert set(d["techniques"][0]) >= {"technique", "span", "score", "speaker"}
    assert set(d["entities"][0]) >= {"id", "name", "type", "mentions", "description", "code"}
    assert TEXT[slice(*d["quotes"][0]["span"])] == "We will hold the line"


def test_valid_record_has_no_span_problems():
    assert span_problems(_record()) == []


@pytest.mark.parametrize("span", [(-1, 3), (5, 5), (10, 4), (0, 999), (24, 25)])
def test_span_validator_flags_bad_offsets(span):
    rec = _record()
    rec.quotes[0].span = span  # (24, 25) is the blank space after the mark, the others are out of range
    problems = span_problems(rec)
    assert len(problems) == 1 and "quote q1 span" in problems[0]
