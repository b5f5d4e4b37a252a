"""Quote extraction on real-style news sentences (written for these tests) and on the seed article."""
from __future__ import annotations

import pytest

from newsgraph.entities import extract_entities
from newsgraph.quotes import extract_quotes, marks
from newsgraph.record import Analysis, span_problems


def analyse(nlp, text):
    doc = nlp(text)
    entities = extract_entities(doc)
    quotes = extract_quotes(doc, entities)
    record = Analysis(id="t", text=text, entities=entities, quotes=quotes)
    assert span_problems(record) == []
    for q in quotes:
        assert text[q.span[0]] not in '"\u201c\u201d\u00ab\u00bb', "span must exclude quotation marks"
        if q.speaker is not None:
            assert record.entity(q.speaker).name == q.speaker_name
    return record


def find(record, snippet):
    """The quote whose content contains ``snippet`` (None when no quote does)."""
    for q in record.quotes:
        if snippet in record.text[q.span[0]:q.span[1]]:
            return q
    return None


def span_text(record, span):
    return record.text[span[0]:span[1]] if span else None


# text, content snippet, speaker name (a word of it), cue text (a word of it), type
CASES = [
    # straight marks, verb after the quote
    ('"We will rebuild the bridge before the winter floods arrive," Mayor Linda Okafor said on Monday.',
     "rebuild the bridge", "Okafor", "said", "direct"),
    # curly marks, speaker first, colon
    ("Finance Minister Tomas Varga told reporters: \u201cThe budget gap is smaller than we feared last spring.\u201d",
     "budget gap is smaller", "Varga", "told", "direct"),
    # NYT two-apostrophe marks
    ("''Nobody in this town expected the plant to close so quickly,'' said Robert Hale, a union organizer.",
     "expected the plant to close", "Hale", "said", "direct"),
    # guillemets
    ("\u00abThe negotiations have reached a dead end,\u00bb Foreign Minister Amira Haddad said in a statement.",
     "negotiations have reached a dead end", "Haddad", "said", "direct"),
    # indirect, complement clause
    ("Senator Paul Whitmore said that the tax bill would not pass the chamber before the August recess.",
     "the tax bill would not pass", "Whitmore", "said", "indirect"),
    # "according to" cue
    ("According to the Environmental Protection Agency, the river has been contaminated for at least a decade.",
     "the river has been contaminated", "Environmental Protection Agency", "According", "indirect"),
    # "According to" heading the sentence (the small parser may hang the whole sentence on it)
    ("According to conservative radio host Dana Whitfield, the move reeks of \u201cfear\u201d and desperation.",
     "the move reeks", "Dana Whitfield", "According", "mixed"),
    # mixed: partly quoted
    ("Governor Ellen Marsh said the new rules were \u201ca betrayal of every family farm in the state.\u201d",
     "betrayal of every family farm", "Marsh", "said", "mixed"),
    # conjoined cue verb without a cue tag: the governing verb and the shared subject
    ("Mayor Ruth Calloway smiled and told the crowd that the pool would \u201copen its doors by the first week "
     "of June.\u201d", "open its doors", "Calloway", "told", "mixed"),
    # subjectless participle: the subject of the verb it modifies
    ("The Riverside Tenants Association attacked the proposal on Monday, saying it would \u201cgut every "
     "protection renters have won.\u201d", "gut every protection", "Riverside Tenants Association", "saying", "mixed"),
    # "said in an interview"
    ("The company's chief executive, Daniel Brandt, said in an interview that layoffs were not being considered.",
     "layoffs were not being considered", "Brandt", "said", "indirect"),
]


@pytest.mark.parametrize("text, snippet, speaker, cue, qtype", CASES)
def test_quote_table(nlp, text, snippet, speaker, cue, qtype):
    record = analyse(nlp, text)
    q = find(record, snippet)
    assert q is not None, f"no quote containing {snippet!r}: {[span_text(record, x.span) for x in record.quotes]}"
    assert q.type == qtype
    assert speaker in (q.speaker_name or ""), (q.speaker_name, span_text(record, q.speaker_span))
    assert cue in (span_text(record, q.cue) or "")


def test_follow_on_sentence_inherits_speaker(nlp):
    text = ('"The harbor will reopen next week," said port director Helen Castro. '
            '"We have cleared most of the wreckage and the cranes are working again."')
    record = analyse(nlp, text)
    first, second = find(record, "harbor will reopen"), find(record, "cleared most of the wreckage")
    assert first is not None and second is not None
    assert first.speaker_name and "Castro" in first.speaker_name
    assert second.speaker == first.speaker


def test_quote_spanning_paragraphs(nlp):
    text = ("Union leader Marco Bellini spoke for nearly an hour at the rally.\n\n"
            "\u201cWe have waited three years for a contract that respects our work,\u201d Bellini said. "
            "\u201cThe company has made record profits while our wages stood still.\n\n"
            "\u201cIf they do not come back to the table, we will walk out on Friday.\u201d")
    record = analyse(nlp, text)
    last = find(record, "walk out on Friday")
    assert last is not None, [span_text(record, q.span) for q in record.quotes]
    assert last.speaker_name and "Bellini" in last.speaker_name
    assert all("Bellini" in (q.speaker_name or "") for q in record.quotes)


def test_unbalanced_mark_keeps_the_rest(nlp):
    text = ('The council met on Tuesday. "We need more buses, said one resident as the meeting opened.\n\n'
            'Transport chief Nadia Petrov said the city would buy forty electric buses next year.')
    record = analyse(nlp, text)
    q = find(record, "buy forty electric buses")
    assert q is not None and "Petrov" in (q.speaker_name or "")


@pytest.mark.parametrize("text, phrase", [
    ('In an essay entitled "Winds of Change," the author describes her childhood in the valley.',
     "Winds of Change"),
    ('The so-called "peace dividend" never reached the towns along the border, the report found.',
     "peace dividend"),
    ('Critics have dubbed the plan "Operation Cleanup" since it was unveiled in March.',
     "Operation Cleanup"),
])
def test_titles_and_scare_quotes_are_not_speech(nlp, text, phrase):
    record = analyse(nlp, text)
    for q in record.quotes:
        assert span_text(record, q.span).strip(' ,."') != phrase


def test_unresolved_pronoun_keeps_span_not_name(nlp):
    record = analyse(nlp, "She said the shelter would run out of blankets within days.")
    q = find(record, "run out of blankets")
    assert q is not None
    assert q.speaker is None and q.speaker_name is None
    assert span_text(record, q.speaker_span) == "She"


@pytest.mark.parametrize("text, expected", [
    ('He said "yes" and left.', ["yes"]),
    ("\u201cOne\u201d and \u00abtwo\u00bb and ''three''", ["One", "two", "three"]),
    ('An "open mark\nnext line "closed" here', ["open mark", "closed"]),
    ("\u201cFirst part\n\n\u201cSecond part\u201d", ["First part", "Second part"]),
])
def test_mark_regions(text, expected):
    found = marks.regions(text)
    assert [text[r.start:r.end] for r in found] == expected


def test_paragraph_continuation_is_linked():
    text = "\u201cFirst part\n\n\u201cSecond part\u201d"
    first, second = marks.regions(text)
    assert first.continues and not first.closed and second.closed


def test_seed_must_quotes(nlp, seed):
    text, expected = seed
    record = analyse(nlp, text)
    for item in expected["quotes"]:
        if not item["must"]:
            continue
        q = find(record, item["content_has"])
        assert q is not None, f"missed quote {item['content_has']!r}"
        want = item["speaker"]
        if want.startswith("the anonymous editor"):
            assert q.speaker_name == "Dabiq", q.speaker_name  # the magazine's editorial voice
        else:
            assert q.speaker_name == want, (item["content_has"], q.speaker_name, span_text(record, q.speaker_span))
    for item in expected["not_quotes"]:
        assert all(span_text(record, q.span).strip(" ,.") != item["text_has"] for q in record.quotes)


def test_reader_comment_bylines_each_take_their_own_name(nlp):
    text = ("Readers answered our call.\n"
            "\u201cThe new bus lanes have cut my commute in half and I am grateful.\u201d \u2015\u00a0Maria Lopez\n"
            "\u201cNobody asked the shop owners on Elm Street what they thought of this plan.\u201d \u2015\u00a0Peter Novak\n")
    record = analyse(nlp, text)
    first, second = find(record, "cut my commute"), find(record, "Nobody asked the shop owners")
    assert first is not None and second is not None
    assert span_text(record, first.speaker_span) == "Maria Lopez"
    assert span_text(record, second.speaker_span) == "Peter Novak"


def test_transcript_turns_inside_a_quoted_block(nlp):
    text = ('The station published the exchange.\n\n'
            '"HOST: Will the council approve the new budget before the summer break?\n\n'
            '"MAYOR: We expect a vote in June, and I am confident we have the numbers.')
    record = analyse(nlp, text)
    q = find(record, "expect a vote in June")
    assert q is not None and span_text(record, q.speaker_span) == "MAYOR"
    q = find(record, "approve the new budget")
    assert q is not None and span_text(record, q.speaker_span) == "HOST"


@pytest.mark.parametrize("text, snippet, speaker, cue", [
    ("Council members praised it. \u201cThe tram line will change how this city moves for decades,\u201d "
     "the transport chief of the northern district, Ana Ruiz, added on Friday.",
     "tram line will change", "Ana Ruiz", "added"),
    ("Reporters asked the minister about it. \u201cThe reform will not raise taxes for any working family,\u201d "
     "the spokesman for the ministry of finance, Omar Said, insisted.",
     "reform will not raise taxes", "Omar Said", "insisted"),
])
def test_cue_of_the_closing_sentence_beats_a_nearer_one_before(nlp, text, snippet, speaker, cue):
    record = analyse(nlp, text)
    q = find(record, snippet)
    assert q is not None
    assert span_text(record, q.cue) == cue
    assert q.speaker_name == speaker


def test_swapped_inversion_is_put_right(nlp):
    from newsgraph.quotes.decode import Run, _unswapped
    doc = nlp('"Rents will keep rising through the winter," said Whitaker.')
    said = next(t.i for t in doc if t.text == "said")
    cue, source = _unswapped(doc, Run("Q", said + 1, said + 1, 0, 0.9), Run("S", said, said, 0, 0.9))
    assert (doc[cue.first].text, doc[source.first].text) == ("said", "Whitaker")
    assert (cue.kind, source.kind) == ("Q", "S")
    # a right tagging is left alone
    cue, source = _unswapped(doc, Run("Q", said, said, 0, 0.9), Run("S", said + 1, said + 1, 0, 0.9))
    assert (doc[cue.first].text, doc[source.first].text) == ("said", "Whitaker")


def test_participle_after_quoting_a_name_takes_that_name(nlp):
    """'X insists ..., quoting Name, saying "..."': the words are Name's, not X's (the tagger's source)."""
    text = ("The council insists that the tunnel cannot be finished this year, quoting chief engineer Lena Moreau, "
            "saying recently \u201cthe rock is harder than any survey predicted.\u201d")
    record = analyse(nlp, text)
    q = find(record, "rock is harder")
    assert q is not None
    assert q.speaker_name == "Lena Moreau" and span_text(record, q.cue).startswith("saying")
    q = find(record, "tunnel cannot be finished")
    assert q is not None and span_text(record, q.speaker_span) == "The council"


@pytest.mark.parametrize("text, verb, source, content", [
    ("The inspectors concluded that the old bridge needs urgent repairs.", "concluded", "The inspectors",
     "that the old bridge needs urgent repairs"),
    # the source is the subject's head with its left modifiers
    ("Most farmers in the valley expect the drought to last another year.", "expect",
     "Most farmers", "the drought to last another year"),
])
def test_near_cue_with_subject_and_complement_becomes_an_attribution(nlp, text, verb, source, content):
    from newsgraph.quotes import rules
    doc = nlp(text)
    marg = [0.0] * len(doc)
    v = next(t.i for t in doc if t.text == verb)
    marg[v] = 0.5
    labels = rules.apply(doc, ["O"] * len(doc), marg)
    got = {k: " ".join(t.text for t in doc if labels[t.i].endswith(k)) for k in "SQC"}
    assert got == {"S": source, "Q": verb, "C": content}
    # below the threshold nothing is added
    marg[v] = rules.NEAR_CUE_MIN / 2
    assert rules.apply(doc, ["O"] * len(doc), marg) == ["O"] * len(doc)


def test_colon_at_paragraph_end_introduces_the_quoted_paragraph(nlp):
    text = ("The plan drew wide praise.\n\nMayor Ines Ortega wrote in her newsletter:\n\n"
            "\u201cEvery new tower must include a public garden on its roof, and we will check that it does.\u201d")
    record = analyse(nlp, text)
    q = find(record, "public garden on its roof")
    assert q is not None and q.type == "direct"
    assert q.speaker_name == "Ines Ortega" and span_text(record, q.cue) == "wrote"


@pytest.mark.parametrize("text, head, owner", [
    ("A spokesman for the Harbor Authority said the port would reopen on Monday.", "spokesman", "Harbor Authority"),
    ("Lawyers for Maria Keller said the appeal would be filed this week.", "Lawyers", "Maria Keller"),
])
def test_description_speaker_takes_the_entity_it_speaks_for(nlp, text, head, owner):
    from newsgraph.quotes import owner_entity
    doc = nlp(text)
    entities = extract_entities(doc)
    tok = next(t for t in doc if t.text == head)
    ent = owner_entity(tok, entities, text)
    assert ent is not None and owner in ent.name


def test_transcript_turn_keeps_its_nested_cue_inside_the_content(nlp):
    text = ('The station published the exchange.\n\n'
            '"HOST: Is the budget late again this year?\n\n'
            '"MAYOR: Well, look, the council apparently thinks this is a game, but we will deliver the budget.')
    record = analyse(nlp, text)
    q = find(record, "Well, look, the council apparently thinks this is a game")
    assert q is not None, [span_text(record, x.span) for x in record.quotes]
    assert span_text(record, q.speaker_span) == "MAYOR"


@pytest.mark.parametrize("label, kept", [("Correction", False), ("Clarification", False), ("Spokeswoman", True)])
def test_editorial_notes_are_not_speech(nlp, label, kept):
    from newsgraph.quotes.decode import link
    doc = nlp(f"The vote passed.\n\n{label}: An earlier version of this story misstated the date of the vote.")
    colon = next(t.i for t in doc if t.text == ":")
    labels = ["O"] * len(doc)
    labels[colon - 1], labels[colon] = "B-S", "B-Q"
    labels[colon + 1:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - colon - 3)
    atts = link(doc, labels, [0.9] * len(doc))
    assert bool(atts) == kept


def test_relative_pronoun_source_resolves_to_its_antecedent(nlp):
    from newsgraph.quotes import _resolve
    from newsgraph.quotes.decode import Attribution, Run
    text = "Voters cheered Senator Helen Marsh, who said the mine would stay open."
    doc = nlp(text)
    entities = extract_entities(doc)
    who = next(t.i for t in doc if t.text == "who")
    att = Attribution([Run("C", who + 2, len(doc) - 2, 0, 0.9)], Run("Q", who + 1, who + 1, 0, 0.9),
                      Run("S", who, who, 0, 0.9))
    ent = _resolve(doc, text, att, entities, None, False, {})
    assert ent is not None and ent.name == "Helen Marsh"


def test_tagged_source_without_a_noun_gives_way_to_the_subject(nlp):
    from newsgraph.quotes.decode import Run, _pick_source
    doc = nlp("Director Paula Harper praised the staff and argues that the inspections should end.")
    argues = next(t.i for t in doc if t.text == "argues")
    source = _pick_source(doc, Run("Q", argues, argues, 0, 0.9), Run("S", argues - 1, argues - 1, 0, 0.9))
    assert source is not None and doc[source.last].text == "Harper"


@pytest.mark.parametrize("text, snippet, speaker", [
    # the tagger may run a quote on over '..., Name, a description, said' into the next quotation
    ("\u201cThe dam will hold through the spring floods, and we have the pumps to prove it,\u201d Ingrid Solberg, "
     "the chief engineer of the valley authority, said Tuesday on local radio. \u201cNobody downstream needs "
     "to leave their homes this year.\u201d", "dam will hold", "Ingrid Solberg"),
    ("\u201cWe are not closing a single branch library while I am in office,\u201d Mayor Tobias Renner said Monday. "
     "\u201cThe budget has room for every one of them and for longer opening hours.\u201d",
     "not closing a single branch", "Tobias Renner"),
])
def test_closing_mark_ends_the_quote_before_its_speaker(nlp, text, snippet, speaker):
    record = analyse(nlp, text)
    q = find(record, snippet)
    assert q is not None and q.speaker_name == speaker, (q, [span_text(record, x.span) for x in record.quotes])
    assert speaker not in span_text(record, q.span)


@pytest.mark.parametrize("labels_after, split", [
    ("said", True),      # '“...,” Name said Monday. “...”': source and cue after the mark
    ("quoted", False),   # a quoted phrase inside an indirect content is left alone
])
def test_split_run_over(nlp, labels_after, split):
    from newsgraph.quotes import rules
    if labels_after == "said":
        text = ("\u201cThe new line will open in March and carry ten thousand riders a day,\u201d Paula Gent said Monday. "
                "\u201cIt is on budget.\u201d")
    else:
        text = "Officials called the plan \u201ca waste of money\u201d and a burden for families in the region."
    doc = nlp(text)
    labels = ["O"] * len(doc)
    labels[0:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - 2)
    rules.split_run_over(doc, labels)
    got = {k: " ".join(t.text for t in doc if labels[t.i].endswith(k)) for k in "SQ"}
    assert (got == {"S": "Paula Gent", "Q": "said"}) == split, got
    if split:
        monday = next(t.i for t in doc if t.text == "Monday")
        assert labels[monday] == "O" and labels[monday + 2] == "B-C"  # the reopening mark


@pytest.mark.parametrize("text, snippet1, snippet2", [
    ("\u201cWe have asked the ministry twice for the money,\u201d Rosa Lindqvist said after the meeting. "
     "She did not name the officials. \u201cNow we will take the matter to court.\u201d",
     "asked the ministry", "take the matter to court"),
    # the aside is a participle of her own sentence
    ("\u201cNobody here wants the mine to close,\u201d Rosa Lindqvist said, stressing that the union had not been "
     "consulted. \u201cWe will fight this decision in every court in the country.\u201d",
     "wants the mine to close", "fight this decision"),
])
def test_quoted_sentence_after_an_aside_continues_the_quote(nlp, text, snippet1, snippet2):
    record = analyse(nlp, text)
    first, last = find(record, snippet1), find(record, snippet2)
    assert first is not None and last is not None
    assert last.speaker_name == "Rosa Lindqvist" and last.cue == first.cue


@pytest.mark.parametrize("text, verb, split, content1, content2", [
    # a coordinated reporting verb inside the content starts an attribution of its own
    ("The governor said the state would hire two hundred nurses and warned against cuts to rural clinics.",
     "warned", True, "the state would hire two hundred nurses", "cuts to rural clinics"),
    # inside the speaker's quoted words nothing is split
    ("The governor said \u201cwe will hire two hundred nurses and we warned against cuts to rural clinics.\u201d",
     "warned", False, None, None),
])
def test_inner_reporting_verb_splits_the_content(nlp, text, verb, split, content1, content2):
    from newsgraph.quotes import rules
    doc = nlp(text)
    said, v = next(t.i for t in doc if t.text == "said"), next(t.i for t in doc if t.text == verb)
    labels = ["O"] * len(doc)
    labels[said] = "B-Q"
    labels[said + 1:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - said - 3)
    before = list(labels)
    marg = [0.0] * len(doc)
    marg[v] = 0.5
    rules.split_inner_cues(doc, labels, marg)
    if not split:
        assert labels == before
        return
    runs = " ".join(lab[0] + lab[-1] if lab != "O" else "O" for lab in labels)
    assert labels[v] == "B-Q", runs
    got = [" ".join(t.text for t in doc[i:j]) for i, j in _content_runs(labels)]
    assert got == [content1, content2]


def _content_runs(labels):
    out, start = [], None
    for i, lab in enumerate(labels + ["O"]):
        if start is not None and lab != "I-C":
            out.append((start, i))
            start = None
        if lab == "B-C":
            start = i
    return out


@pytest.mark.parametrize("second, kept", [
    ("The new library will open in May.", False),                       # unquoted: needs a cue of its own
    ("\u201cThe new library will open in May and stay open late.\u201d", True),  # a quoted follow-on
])
def test_unquoted_content_needs_a_cue_in_its_sentence(nlp, second, kept):
    from newsgraph.quotes.decode import link
    doc = nlp(f"The mayor said the council approved the budget on Monday. {second}")
    said = next(t.i for t in doc if t.text == "said")
    dot = next(t.i for t in doc if t.text == "." and t.i > said)
    labels = ["O"] * len(doc)
    labels[0:2] = ["B-S", "I-S"]
    labels[said] = "B-Q"
    labels[said + 1:dot] = ["B-C"] + ["I-C"] * (dot - said - 2)
    labels[dot + 1:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - dot - 3)
    atts = link(doc, labels, [0.9] * len(doc))
    runs = [r for a in atts for r in a.contents]
    assert any(r.first == dot + 1 for r in runs) == kept
    assert any(r.first == said + 1 for r in runs)


def test_intervening_participle_introduces_the_quote_after_it(nlp):
    from newsgraph.quotes.decode import link
    doc = nlp("\u201cThe port is safe again,\u201d Mira Tan said, adding later, \u201cthe cranes will run all night.\u201d")
    toks = [t.text for t in doc]
    said, close = toks.index("said"), toks.index("\u201d")
    second = len(doc) - 1 - toks[::-1].index("\u201c")
    labels = ["O"] * len(doc)
    labels[0:close + 1] = ["B-C"] + ["I-C"] * close
    labels[said - 2:said] = ["B-S", "I-S"]
    labels[said] = "B-Q"
    labels[second:] = ["B-C"] + ["I-C"] * (len(doc) - second - 1)
    atts = link(doc, labels, [0.9] * len(doc))
    cues = {doc[a.contents[0].first + 1].text: doc[a.cue.first].text for a in atts}
    assert cues == {"The": "said", "the": "adding"}


def test_quotation_opening_a_sentence_starts_its_own_run(nlp):
    from newsgraph.quotes import rules
    doc = nlp("Savings are hard for many families. \u201cStart with ten dollars a week and keep going,\u201d "
              "Ines Varga said.")
    opening = next(t.i for t in doc if t.text == "\u201c")
    labels = ["B-C"] + ["I-C"] * (opening + 12)  # a run carried over the sentence break
    labels += ["O"] * (len(doc) - len(labels))
    rules.split_run_over(doc, labels)
    assert labels[opening] == "B-C" and labels[opening - 2] == "I-C"


def test_partly_tagged_quotation_with_a_byline_is_taken_whole(nlp):
    from newsgraph.quotes import rules
    doc = nlp("\u201cThe new park is the best thing this city has done in years. My kids love it.\u201d \u2015 Lena Ortiz")
    close = next(t.i for t in doc if t.text.startswith("\u201d"))
    labels = ["O"] * len(doc)
    my = next(t.i for t in doc if t.text == "My")
    labels[my:close] = ["B-C"] + ["I-C"] * (close - my - 1)  # the tagger took only the last sentence
    rules.add_mark_quotes(doc, labels)
    assert labels[0] == "B-C" and all(lab == "I-C" for lab in labels[1:close + 1])
    assert " ".join(t.text for t in doc if labels[t.i].endswith("S")) == "Lena Ortiz"


@pytest.mark.parametrize("text, source", [
    # the subject of a raising cue belongs to the content: no speaker is named
    ("The new bridge is expected to open next spring.", None),
    # a subject outside the content stays the speaker
    ("The mayor expects the new bridge to open next spring.", "The mayor"),
])
def test_source_is_never_inside_its_content(nlp, text, source):
    from newsgraph.quotes.decode import link
    doc = nlp(text)
    words = [t.text for t in doc]
    labels = ["O"] * len(doc)
    verb = next(i for i, w in enumerate(words) if w in ("expected", "expects"))
    bridge = words.index("new") - 1
    labels[verb] = "B-Q"
    if words[verb - 1] == "is":
        labels[verb - 1:verb + 1] = ["B-Q", "I-Q"]
    labels[bridge:bridge + 3] = ["B-C", "I-C", "I-C"]
    to = words.index("to")
    labels[to:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - to - 2)
    (att,) = link(doc, labels, [0.9] * len(doc))
    got = doc[att.source.first:att.source.last + 1].text if att.source else None
    assert got == source


@pytest.mark.parametrize("text, split", [
    ("The mayor invited the volunteers to the stage, chanting \u201cThis park belongs to all of us.\u201d", True),
    # a one-word scare quote after a participle is not a quotation it introduces
    ("The mayor invited the volunteers to the stage, praising \u201cheroic\u201d work in the flooded streets.", False),
])
def test_participle_before_a_quotation_is_its_cue(nlp, text, split):
    from newsgraph.quotes import rules
    doc = nlp(text)
    invited = next(t.i for t in doc if t.text == "invited")
    labels = ["O"] * len(doc)
    labels[invited] = "B-Q"
    labels[invited + 1:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - invited - 3)
    verb = next(t for t in doc if t.tag_ == "VBG")
    rules.split_inner_cues(doc, labels, [0.0] * len(doc))
    assert (labels[verb.i] == "B-Q") == split


def test_reporting_noun_with_possessor_inside_content_is_its_own_attribution(nlp):
    from newsgraph.quotes import rules
    doc = nlp("Auditors questioned the figures in the report, including the governor's claim that the "
              "budget was balanced last year.")
    q = next(t.i for t in doc if t.text == "questioned")
    labels = ["O"] * len(doc)
    labels[0], labels[q] = "B-S", "B-Q"
    labels[q + 1:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - q - 3)
    rules.split_noun_cues(doc, labels)
    got = {k: " ".join(t.text for t in doc if labels[t.i].endswith(k)) for k in "SQ"}
    assert got == {"S": "Auditors the governor", "Q": "questioned claim"}
    that = next(t.i for t in doc if t.text == "that")
    assert labels[that] == "B-C"


def test_second_that_clause_joins_the_content(nlp):
    from newsgraph.quotes import rules
    doc = nlp("The chief said the tapes were incomplete and that the recording released by the family did not "
              "show the start of the fight.")
    said = next(t.i for t in doc if t.text == "said")
    that = next(t.i for t in doc if t.text == "that")
    did = next(t.i for t in doc if t.text == "did")
    labels = ["O"] * len(doc)
    labels[0:2], labels[said] = ["B-S", "I-S"], "B-Q"
    labels[said + 1:that - 1] = ["B-C"] + ["I-C"] * (that - said - 3)
    labels[that + 1:did] = ["B-S"] + ["I-S"] * (did - that - 2)   # the tagger's second, wrong source
    labels[did:did + 2] = ["B-Q", "I-Q"]
    labels[did + 2:len(doc) - 1] = ["B-C"] + ["I-C"] * (len(doc) - did - 4)
    rules.join_second_complements(doc, labels)
    assert all(lab == "I-C" for lab in labels[that - 1:len(doc) - 1])
    assert labels[said + 1] == "B-C" and labels[said] == "B-Q"


def test_inverted_cue_at_sentence_start_names_the_speaker(nlp):
    from newsgraph.quotes.decode import link
    doc = nlp("Experts say the plan is vague. Said Okafor: \u201cNobody knows what the new levy will pay for.\u201d")
    said = next(t.i for t in doc if t.text == "Said")
    opening = next(t.i for t in doc if t.text == "\u201c")
    labels = ["O"] * len(doc)
    labels[0], labels[1] = "B-S", "B-Q"
    labels[2:6] = ["B-C", "I-C", "I-C", "I-C"]
    labels[said:said + 3] = ["B-Q", "I-Q", "I-Q"]  # "Said Okafor :" tagged as one cue
    labels[opening:] = ["B-C"] + ["I-C"] * (len(doc) - opening - 1)
    att = next(a for a in link(doc, labels, [0.9] * len(doc)) if a.contents[0].first == opening)
    assert doc[att.source.first:att.source.last + 1].text == "Okafor"
    assert doc[att.cue.first:att.cue.last + 1].text == "Said"


@pytest.mark.parametrize("text", [
    "“We will win,” the mayor said.\n\nShe left.",
    "No quotation here at all.",
])
def test_doc_text_is_read_once_per_document(nlp, text):
    doc = nlp(text)
    first = marks.doc_text(doc)
    assert first == doc.text == text
    assert marks.doc_text(doc) is first  # cached for this document, not rebuilt
    other = nlp(text + " Again.")
    assert marks.doc_text(other) == text + " Again."


@pytest.mark.parametrize("text, name, kept", [
    # the bug: an appositive naming gave a quote whose content was the name
    ("The Islamic State, also known as ISIS or ISIL, claimed the attack on Sunday.", "ISIS or ISIL", None),
    ("Their leader, who is known as Abu Karim, said the group would fight on.", "Abu Karim",
     "the group would fight on"),
    # a name inside reported content stays part of that content
    ('The hacker, known online as "Redfox," was arrested in May, the ministry said.', None,
     'The hacker, known online as "Redfox," was arrested in May'),
])
def test_known_as_names_something_and_reports_no_speech(nlp, text, name, kept):
    record = analyse(nlp, text)
    cues = [span_text(record, q.cue) for q in record.quotes]
    assert not any("known" in (c or "") for c in cues)
    if name is not None:
        assert find(record, name) is None
    if kept is not None:
        assert span_text(record, find(record, kept).span) == kept
    else:
        assert all(span_text(record, q.span) != "who" for q in record.quotes)


@pytest.mark.parametrize("text, snippet, speaker", [
    # a finite reporting verb the parser hung on a participle as a clause: the participle's subject
    ('Farmers marching past the ministry chanted "No water, no vote!" until the police arrived.',
     "No water, no vote", "Farmers"),
])
def test_cue_without_its_own_subject_takes_its_clause_subject(nlp, text, snippet, speaker):
    record = analyse(nlp, text)
    quote = find(record, snippet)
    assert quote is not None
    assert speaker in (quote.speaker_name or span_text(record, quote.speaker_span) or "")


@pytest.mark.parametrize("text, verb, subject", [
    # "for saying" in a prepositional clause: the subject of the verb the clause hangs on
    ("The senator drew sharp criticism on Monday for saying that the barriers were a waste.", "saying", "senator"),
    ("The union was fined last year for claiming that the plant would poison the river.", "claiming", "union"),
])
def test_participle_after_a_preposition_takes_the_clause_subject(nlp, text, verb, subject):
    from newsgraph.quotes.decode import Run, syntactic_source
    doc = nlp(text)
    cue = next(t.i for t in doc if t.text == verb)
    source = syntactic_source(doc, Run("Q", cue, cue, 0, 1.0))
    assert source is not None and doc[source.last].text == subject


def test_quotation_between_two_cues_takes_the_free_cue_before_it(nlp):
    from newsgraph.quotes.decode import link
    from newsgraph.quotes.features import paragraphs
    text = ('The ad shows Dunmore saying during the hearing, "That is just good business," '
            "when Okafor scolded him for hiding the fees.")
    doc = nlp(text)
    labels = ["O"] * len(doc)

    def tag(words, kind):
        first = next(t.i for t in doc if [x.text for x in doc[t.i:t.i + len(words)]] == words)
        for k in range(len(words)):
            labels[first + k] = ("B-" if k == 0 else "I-") + kind
    tag(["Dunmore"], "S")
    tag(["saying"], "Q")
    tag(['"', "That", "is", "just", "good", "business", ",", '"'], "C")
    tag(["Okafor"], "S")
    tag(["scolded"], "Q")
    tag(["him", "for", "hiding", "the", "fees"], "C")
    atts = link(doc, labels, [0.9] * len(doc), paragraphs(doc))
    by_cue = {doc[a.cue.first].text: [doc[r.first:r.last + 1].text for r in a.contents] for a in atts}
    assert by_cue["saying"] == ['"That is just good business,"']
    assert by_cue["scolded"] == ["him for hiding the fees"]


@pytest.mark.parametrize("text, snippet, source", [
    ('Critics in the council say the plan is too costly. The channel is "providing a view you will not get '
     'from the big networks," as Ray Dunmore put it.', "providing a view", "Ray Dunmore"),
])
def test_as_name_put_it_hands_the_quotation_to_its_source(nlp, text, snippet, source):
    record = analyse(nlp, text)
    quote = find(record, snippet)
    assert quote is not None and span_text(record, quote.cue) == "put it"
    assert span_text(record, quote.speaker_span) == source


def test_inverted_common_noun_subject_is_the_source_not_content(nlp):
    text = ('The court struck the law down on Friday.\n\n"A county cannot purge voters for skipping two elections '
            'and then call the purge routine maintenance," said the ruling.')
    record = analyse(nlp, text)
    assert len(record.quotes) == 1
    quote = record.quotes[0]
    assert span_text(record, quote.span).startswith("A county cannot purge voters")
    assert span_text(record, quote.speaker_span) == "the ruling"
    assert span_text(record, quote.cue) == "said"


@pytest.mark.parametrize("text, clause", [
    ("On Monday, government jets struck two depots north of Harwick, killing at least 14 fighters and "
     "wounding dozens, according to the regional health office.",
     "On Monday, government jets struck two depots north of Harwick, killing at least 14 fighters and wounding dozens"),
    ("Shelling destroyed the grain market in Dunmore, wounding nine traders, according to the city council.",
     "Shelling destroyed the grain market in Dunmore, wounding nine traders"),
])
def test_trailing_according_to_vouches_for_the_whole_clause(nlp, text, clause):
    """The source of a trailing 'according to' vouches for the clause, not only its participle tail."""
    record = analyse(nlp, text)
    q = find(record, "wounding")
    assert q is not None and span_text(record, q.span) == clause
    assert span_text(record, q.cue) == "according to" and span_text(record, q.speaker_span).endswith(
        text.rsplit("according to ", 1)[1].rstrip("."))


@pytest.mark.parametrize("text, verb, source", [
    # the governor's subject says what its infinitive reports
    ("The Harbour Workers Union used its weekly newsletter to hint that a strike was near.", "hint",
     "The Harbour Workers Union"),
    # a verb of asking hands the infinitive to its object
    ("The committee urged the minister to confirm that the plant would close.", "confirm", "the minister"),
])
def test_infinitive_cue_takes_its_controller_as_source(nlp, text, verb, source):
    from newsgraph.quotes.decode import Run, syntactic_source
    doc = nlp(text)
    v = next(t.i for t in doc if t.text == verb)
    run = syntactic_source(doc, Run("Q", v, v, 0, 1.0))
    assert run is not None and doc[run.first:run.last + 1].text == source


@pytest.mark.parametrize("text, speaker", [
    # an unnamed editor speaks for the publication named before
    ("The Harbour Post ran an unsigned column on Monday. \u201cThe mayor must go,\u201d the editor wrote.",
     "Harbour Post"),
    # a person described as the editor is that person
    ("Anna Berg, the editor of the Harbour Post, was angry. \u201cThe mayor must go,\u201d the editor wrote.",
     "Anna Berg"),
    # no publication named: no speaker entity, the words stay the editor's
    ("\u201cThe mayor must go,\u201d the editor wrote.", None),
])
def test_an_unnamed_editor_speaks_for_the_publication(nlp, text, speaker):
    record = analyse(nlp, text)
    q = find(record, "mayor must go")
    assert q is not None and q.speaker_name == speaker
    assert span_text(record, q.speaker_span) == "the editor"


def test_a_headline_run_into_the_first_sentence_is_not_the_speaker(nlp):
    """The parser runs an unpunctuated headline into the story's first sentence and takes a
    headline word for the subject; the speaker is the name that opens the paragraph."""
    text = ("Union Newsletter Hints at a Port Deal\n\n"
            "The Harbour Workers Union, a dockers' union that has fought the port authority since 2019, used "
            "the latest issue of its newsletter, The Anchor, to hint that it could accept a pay deal for the "
            "port of Dunmore.")
    record = analyse(nlp, text)
    q = find(record, "accept a pay deal")
    assert q is not None
    assert span_text(record, q.speaker_span) == "Harbour Workers Union"
    assert q.speaker_name == "Harbour Workers Union"
