"""Entities: canonical names, joins, descriptions, pronouns and descriptions, on real-style text."""
from __future__ import annotations

import pytest

from newsgraph.entities import STEP, entity_at, extract_entities
from newsgraph.record import Analysis, span_problems


def run(nlp, text):
    entities = extract_entities(nlp(text))
    problems = span_problems(Analysis(id="t", text=text, entities=entities))
    assert problems == []
    return entities


def by_name(entities, name):
    found = [e for e in entities if e.name == name]
    assert found, f"no entity named {name!r} in {[e.name for e in entities]}"
    return found[0]


def surfaces(text, entity):
    return [text[s:e] for s, e in entity.mentions]


def test_step_contract():
    assert STEP.name == "entities" and STEP.version == "entities.rules.v1" and STEP.requires == ()


JOINS = [
    # (text, canonical name, surface forms that must be mentions of it)
    ("Donald Trump spoke in Ohio on Monday. Later, Mr. Trump told supporters that the polls were wrong.",
     "Donald Trump", ["Donald Trump", "Trump"]),
    ("Foreign Minister Elena Varga arrived in Vienna on Monday. Varga told reporters the talks had stalled.",
     "Elena Varga", ["Elena Varga", "Varga"]),
    ("General Laura Whitfield briefed the committee. Whitfield said the withdrawal would take a year.",
     "Laura Whitfield", ["Laura Whitfield", "Whitfield"]),
    ("The Northern Liberation Front claimed the ambush. A spokesman for the NLF denied that civilians died.",
     "Northern Liberation Front", ["Northern Liberation Front", "NLF"]),
    ("The Islamic State released a new video. ISIS fighters also attacked a checkpoint, and officials "
     "in Baghdad said ISIL would strike again. Iraqis call it Daesh.",
     "Islamic State", ["Islamic State", "ISIS", "ISIL", "Daesh"]),
    ("The United States imposed new sanctions on Tuesday. U.S. officials said America would not back down.",
     "United States", ["United States", "U.S.", "America"]),
    ("Political scientist Anna Ruiz-Delgado studies the region. Ruiz-Delgado said the vote was rigged.",
     "Anna Ruiz-Delgado", ["Anna Ruiz-Delgado", "Ruiz-Delgado"]),
    ("Police commissioner James O’Rourke spoke first. O'Rourke said the march was peaceful.",
     "James O’Rourke", ["James O’Rourke", "O'Rourke"]),
    ("Senator Mark Ellison's bill failed. Ellison's aides blamed the leadership.",
     "Mark Ellison", ["Mark Ellison", "Ellison"]),
]


@pytest.mark.parametrize("text, name, forms", JOINS)
def test_joins(nlp, text, name, forms):
    entity = by_name(run(nlp, text), name)
    got = surfaces(text, entity)
    for form in forms:
        assert form in got, f"{form!r} not joined to {name}: {got}"
    assert name == entity.name and not entity.name.startswith(("the ", "The ", "Mr.", "General"))


TYPES = [
    ("Elena Varga, the foreign minister, said on Monday that she would resign.", "Elena Varga", "PERSON"),
    ("Mr. Haddad said the ceasefire would hold.", "Haddad", "PERSON"),
    ("The Islamic State said it had captured the town.", "Islamic State", "ORG"),
    ("Sanctions on Iran were eased last year, officials in Tehran said.", "Iran", "GPE"),
]


@pytest.mark.parametrize("text, name, kind", TYPES)
def test_types(nlp, text, name, kind):
    assert by_name(run(nlp, text), name).type == kind


DESCRIPTIONS = [
    ("Tomas Reed, a researcher at the Institute for Fiscal Studies, said the plan was costly.",
     "Tomas Reed", "researcher at the Institute for Fiscal Studies"),
    ("Veteran war correspondent Maria Okafor filed her last report from Aleppo.",
     "Maria Okafor", "war correspondent"),
    ("The deal was praised by Syrian opposition leader Karim Nassar on Sunday.",
     "Karim Nassar", "opposition leader"),
]


@pytest.mark.parametrize("text, name, description", DESCRIPTIONS)
def test_descriptions(nlp, text, name, description):
    entity = by_name(run(nlp, text), name)
    assert entity.description and entity.description.endswith(description), entity.description
    assert entity.name == name


ANAPHORA = [
    # (text, pronoun or description with its occurrence, the entity it must join)
    ("Anna Kowalski met Peter Brandt in Warsaw on Friday. She said the deal was fair, and he agreed.",
     ("She", 0), "Anna Kowalski"),
    ("Anna Kowalski met Peter Brandt in Warsaw on Friday. She said the deal was fair, and he agreed.",
     ("he", 0), "Peter Brandt"),
    ('"We will not surrender," said Omar Haddad, a rebel commander. "The siege must end," he added.',
     ("he", 0), "Omar Haddad"),
    ("Police arrested Daniel Ortiz, a journalist for the Tribune, on Friday. The journalist was "
     "released hours later.", ("The journalist", 0), "Daniel Ortiz"),
    ("Boko Haram claimed the bombing in Maiduguri. The group has killed thousands since 2009.",
     ("The group", 0), "Boko Haram"),
    ("Helen Marsh left the ministry in March. Her successor, Paul Gray, said he would review her budget.",
     ("he", 0), "Paul Gray"),
    ("The Sahel Defense Brigade attacked a convoy near Gao. Analysts at the Institute for Desert "
     "Studies said the group was short of fuel.", ("the group", 0), "Sahel Defense Brigade"),
    ("Rebel Paper Hints at Talks\n\nThe Coastal Liberation Front said on Monday that its fighters "
     "would hold their positions near Marlow.", ("its", 0), "Coastal Liberation Front"),
    ("Apple reported record sales on Thursday. The company said its phones sold well in China.",
     ("its", 0), "Apple"),
]


def _nth(text, word, n):
    start = -1
    for _ in range(n + 1):
        start = text.index(word, start + 1)
        while (start > 0 and text[start - 1].isalpha()) or text[start + len(word):][:1].isalpha():
            start = text.index(word, start + 1)
    return start, start + len(word)


@pytest.mark.parametrize("text, anaphor, name", ANAPHORA)
def test_anaphora(nlp, text, anaphor, name):
    entities = run(nlp, text)
    start, end = _nth(text, *anaphor)
    got = entity_at(entities, start, end, text)
    assert got is not None and got.name == name, f"{anaphor[0]!r} -> {got.name if got else None}"
    assert (start, end) in got.mentions


def test_first_person_inside_quotes_is_not_a_mention(nlp):
    text = '"I will not resign, and we will win," said Omar Haddad.'
    entities = run(nlp, text)
    covered = {m for e in entities for m in e.mentions}
    assert (1, 2) not in covered and not any(s <= text.index("we") < e for s, e in covered)


def test_no_pronoun_or_description_as_a_name(nlp):
    text = ("Maria Okafor, a reporter, was detained. She was later freed. The reporter said she had "
            "been well treated. They had taken her phone.")
    for e in run(nlp, text):
        assert e.name.lower() not in {"she", "her", "they", "the reporter", "reporter"}


@pytest.mark.parametrize("span_text, name", [
    ("campaign spokeswoman Jane Doyle", "Jane Doyle"),
    ("Jane Doyle and Victor Lang", "Jane Doyle"),
])
def test_entity_at_picks_the_head(nlp, span_text, name):
    text = f"Victor Lang's rival spoke first. Later {span_text} said the vote would be close."
    entities = run(nlp, text)
    start = text.index(span_text)
    got = entity_at(entities, start, start + len(span_text), text)
    assert got is not None and got.name == name


def test_seed_people_and_aliases(nlp, seed):
    text, expected = seed
    entities = run(nlp, text)
    names = {e.name for e in entities}
    for actor in expected["actors"]:
        if actor["kind"] == "person":
            assert actor["canonical"] in names, actor["canonical"]
    cantlie = by_name(entities, "John Cantlie")
    forms = [f.lower() for f in surfaces(text, cantlie)]
    assert "cantlie" in forms and "he" in forms and "john cantlie" in forms
    group = entity_at(entities, *_nth(text, "ISIS", 0), text)
    for form in ("ISIL", "Islamic State"):
        assert entity_at(entities, *_nth(text, form, 0), text) is group, form
    assert group.name == "Islamic State"


@pytest.mark.parametrize("text, end", [
    ("Dockers Union Threatens Port Strike\n\nThe union said on Monday it would strike.", 35),
    ("Dockers threaten a strike at the port.\nThe union said it would strike.", 0),   # a sentence, not a headline
    ("the union said it would strike on monday\n\nIt did.", 0),                        # not title case
    ("Dockers Union Threatens Port Strike", 0),                                         # no story below
])
def test_headline_is_a_title_case_first_line(text, end):
    from newsgraph.entities import headline_end
    assert headline_end(text) == end


def test_names_only_in_a_title_case_headline_are_dropped_and_the_storys_kept(nlp):
    text = ("Rebel Magazine Hints at a Harbor Truce in Norway\n\n"
            "The Coastal Liberation Front used its magazine to float a truce. Anna Berg, a spokeswoman for "
            "the Coastal Liberation Front, denied it.")
    entities = run(nlp, text)
    names = {e.name for e in entities}
    assert not any("Hints" in n for n in names), names
    assert "Norway" in names                      # a place in the headline stays
    assert any("Coastal Liberation Front" in n for n in names) and "Anna Berg" in names


def test_an_organisation_named_like_a_newspaper_is_a_publication(nlp):
    entities = run(nlp, "The Harbour Post reported on Monday that the Harbour Workers Union would strike.")
    assert by_name(entities, "Harbour Post").type == "PUBLICATION"
    assert by_name(entities, "Harbour Workers Union").type == "ORG"
