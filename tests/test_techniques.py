"""Technique extractor: span offsets, the speaker link, classify, the threshold, loading, the seed."""
from __future__ import annotations

import math
import subprocess
import sys

import pytest

from newsgraph.record import Analysis, Quote, span_problems
from newsgraph.techniques import LABELS, classify, extract_techniques
from newsgraph.techniques.extractor import speaker_of

# Written for these tests: a loaded editorial voice around a quotation.
EDITORIAL = (
    "The mayor's so-called reform is a shameful, disgraceful betrayal of every honest family in town.\n"
    "\"These corrupt thugs and parasites will destroy our beloved city,\" said Anna Berg, the council leader.\n"
    "The bridge opened in 1998 and carries about 4,000 cars a day.\n"
)
QUOTE_START = EDITORIAL.index("These corrupt")
QUOTE_END = EDITORIAL.index(",\" said")


def record_of(text: str, techniques, sentences) -> Analysis:
    return Analysis(id="t", text=text, techniques=techniques, sentences=sentences)


@pytest.fixture(scope="module")
def editorial(nlp):
    return nlp(EDITORIAL)


def test_spans_and_sentences_are_valid(editorial):
    techniques, sentences = extract_techniques(editorial, [], 0.2)
    assert techniques, "the loaded editorial sentences should yield at least one technique"
    assert span_problems(record_of(EDITORIAL, techniques, sentences)) == []
    assert len(sentences) == 3  # one per line, the factual one included
    assert sentences[-1].techniques == []  # "The bridge opened in 1998 ..." uses no technique
    for t in techniques:
        assert t.technique in LABELS
        assert 0.0 <= t.score <= 1.0
        assert any(s.span[0] <= t.span[0] < s.span[1] and t.technique in s.techniques for s in sentences)


@pytest.mark.parametrize("span, quotes, expected", [
    ((10, 20), [Quote(id="q1", span=(5, 30), type="direct", speaker="e1")], "e1"),
    ((10, 20), [Quote(id="q1", span=(40, 60), type="direct", speaker="e1")], None),
    ((10, 20), [Quote(id="q1", span=(15, 60), type="direct", speaker="e1")], "e1"),   # half inside
    ((10, 20), [Quote(id="q1", span=(17, 60), type="direct", speaker="e1")], None),   # mostly outside
    ((10, 20), [Quote(id="q1", span=(0, 12), type="direct", speaker="e1"),
                Quote(id="q2", span=(12, 40), type="direct", speaker="e2")], "e2"),
    ((10, 20), [Quote(id="q1", span=(0, 40), type="indirect", speaker=None)], None),
    ((10, 20), [], None),
])
def test_speaker_of(span, quotes, expected):
    assert speaker_of(span, quotes) == expected


def test_speaker_link_inside_and_outside_a_quote(editorial):
    quote = Quote(id="q1", span=(QUOTE_START, QUOTE_END), type="direct", speaker="e7")
    techniques, _ = extract_techniques(editorial, [quote], 0.2)
    inside = [t for t in techniques if QUOTE_START <= t.span[0] and t.span[1] <= QUOTE_END]
    outside = [t for t in techniques if t.span[1] <= QUOTE_START or t.span[0] >= QUOTE_END]
    assert inside and outside, [(EDITORIAL[slice(*t.span)], t.technique) for t in techniques]
    assert {t.speaker for t in inside} == {"e7"}
    assert {t.speaker for t in outside} == {None}


def test_higher_threshold_gives_a_subset(editorial):
    low, _ = extract_techniques(editorial, [], 0.1)
    high, _ = extract_techniques(editorial, [], 0.7)
    assert {(t.span, t.technique) for t in high} <= {(t.span, t.technique) for t in low}
    assert len(high) < len(low)
    assert all(t.score >= 0.7 for t in high)


@pytest.mark.parametrize("text, phrase, expected", [
    ("He compared the new tax office to Hitler and the Nazis.\n",
     "compared the new tax office to Hitler and the Nazis", "Bandwagon,Reductio_ad_hitlerum"),
    ("Why should anyone believe a minister who lied before?\n",
     "Why should anyone believe a minister who lied before?", "Doubt"),
    ("The economy, the economy, the economy: the economy is all that matters. We fix the economy.\n",
     "the economy", "Repetition"),
    ("The senator is a clown and a liar.\n", "a clown and a liar", "Name_Calling,Labeling"),
    ("Make our great nation proud again, true patriots!\n", "Make our great nation proud again, true patriots!", "Flag-Waving"),
])
def test_classify_labels_clear_cases(text, phrase, expected):
    start = text.index(phrase)
    assert classify(text, [(start, start + len(phrase))]) == [expected]


def test_classify_repeated_span_gets_its_next_label():
    text = "The plan is a total catastrophe for the harbour workers.\n"
    span = (text.index("a total"), text.index(" for"))
    first, second = classify(text, [span, span])
    assert first in LABELS and second in LABELS and first != second
    assert classify(text, []) == []


def test_model_loads_without_torch_and_network():
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from newsgraph.techniques.model import load_model\n"
        "from newsgraph.techniques import classify\n"
        "m = load_model()\n"
        "print(classify('They are cowards and crooks.', [(9, 27)]))\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert 'transformers' not in sys.modules\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]


# Seed spans the model must find at a recall-leaning threshold, and the share it must find.
SEED_THRESHOLD = 0.25
SEED_MIN_FOUND = 4


def test_seed_spans_found_in_cantlies_voice(nlp, seed):
    from newsgraph.pipeline import run_steps, steps_for
    from newsgraph.settings import Settings

    text, expected = seed
    doc = nlp(text)
    settings = Settings().merge(extractors=["quotes"])
    record = run_steps(doc, Analysis(id="seed", text=text), steps_for(settings), settings)
    record.techniques, record.sentences = extract_techniques(doc, record.quotes, SEED_THRESHOLD)
    assert span_problems(record) == []
    cantlie = {e.id for e in record.entities if e.name == "John Cantlie"}
    cantlie_quotes = [q for q in record.quotes if q.speaker in cantlie]
    found, voices = [], []
    for item in expected["techniques"]:
        start = text.index(item["span_has"])
        end = start + len(item["span_has"])
        hits = [t for t in record.techniques if t.span[0] < end and t.span[1] > start]
        if hits:
            found.append(item["span_has"])
        voices += [t.speaker for t in hits if speaker_of(t.span, cantlie_quotes)]
    assert len(found) >= SEED_MIN_FOUND, found
    assert voices, "no technique found inside John Cantlie's quotes"
    assert set(voices) <= cantlie


@pytest.mark.parametrize("text, span, expected", [
    ("the militia's own fighters", (12, 17), "militia's own"),
    ("a gang of smugglers", (3, 6), "gang"),
    ("It was the worst day", (11, 16), "worst"),
])
def test_spans_snap_to_whole_words(text, span, expected):
    from newsgraph.techniques.extractor import snap
    s, e = snap(text, span)
    assert text[s:e] == expected


@pytest.mark.parametrize("text, ok", [("The", False), ("of it", False), ("spineless bullying", True)])
def test_function_word_spans_carry_no_technique(text, ok):
    from newsgraph.techniques.extractor import has_content
    assert has_content(text, (0, len(text))) is ok


@pytest.mark.parametrize("lengths, batch, expected", [
    ([5, 30, 6, 31, 7], 32, [[0, 2], [4], [1, 3]]),  # a new batch once 1.25x wider than its first
    ([10, 10, 10], 2, [[0, 1], [2]]),                 # and at most ``batch`` windows
    ([], 32, []),
])
def test_length_batches_keep_padding_small(lengths, batch, expected):
    from newsgraph.techniques.model import length_batches
    assert length_batches(lengths, batch, 1.25) == expected


# Written for these tests: (loaded sentence, plain sentence) pairs.
PAIRS = [
    ("These corrupt thugs and parasites will destroy our beloved city!",
     "The bridge opened in 1998 and carries about 4,000 cars a day."),
    ("Only a fool would swallow the shameless lies of this disgraceful regime.",
     "The committee will meet on Tuesday to review the budget figures."),
]


@pytest.mark.parametrize("loaded, plain", PAIRS)
def test_prefilter_ranks_loaded_sentences_higher(loaded, plain):
    from newsgraph.techniques.model import load_model
    text = f"{loaded}\n{plain}\n"
    spans = [(0, len(loaded)), (len(loaded) + 1, len(text) - 1)]
    model = load_model()
    a, b = model.sentences.logits(text, spans)
    assert a > b
    a, b = model.prefilter(text, spans)   # words mixed with the embedding score (v4)
    assert a > b


@pytest.mark.parametrize("text, expected", [
    ("corrupt", 2.0 + 0.5),         # one wordpiece weighted 2
    ("corrupt plan", 1.0 + 0.5),    # mean of 2 and 0
    ("", 0.5),                      # no wordpieces: the bias
])
def test_token_scorer_is_the_mean_wordpiece_weight_plus_bias(text, expected):
    import numpy as np

    from newsgraph.techniques.model import load_model
    from newsgraph.techniques.sentence import TokenScorer
    tokenizer = load_model().tokenizer
    weights = np.zeros(tokenizer.get_vocab_size(), dtype=np.float32)
    ids = tokenizer.encode("corrupt", add_special_tokens=False).ids
    weights[ids] = 2.0
    assert len(ids) == 1 and len(tokenizer.encode("corrupt plan", add_special_tokens=False).ids) == 2
    assert TokenScorer(weights, 0.5).logits(tokenizer, [text]) == [pytest.approx(expected)]


@pytest.mark.parametrize("loaded, plain", PAIRS)
def test_prefilter_skips_plain_sentences_and_scores_them_low(loaded, plain):
    import math

    from newsgraph.techniques.extractor import read, sentence_scores
    from newsgraph.techniques.model import load_model
    model = load_model()
    text = f"{loaded}\n{plain}\n"
    spans = [(0, len(loaded)), (len(loaded) + 1, len(text) - 1)]
    filtered = read(model, text, spans)
    assert filtered.tagger[0] is not None and filtered.tagger[1] is None  # the plain one is not encoded
    everything = read(model, text, spans, prefilter=-math.inf)
    assert None not in everything.tagger
    loaded_score, plain_score = sentence_scores(filtered, model.config)
    assert loaded_score > plain_score and plain_score < 0.3


@pytest.mark.parametrize("missing", ["sentence_head.npz", "prefilter_tokens.npz"])
def test_a_model_lacking_a_file_its_config_uses_does_not_load(tmp_path, missing):
    import shutil

    from newsgraph.errors import ModelError
    from newsgraph.techniques.model import load_model, model_dir
    for f in model_dir().iterdir():
        if f.name != missing:
            (tmp_path / f.name).symlink_to(f) if f.name == "encoder.onnx" else shutil.copyfile(f, tmp_path / f.name)
    with pytest.raises(ModelError, match=missing):
        load_model(str(tmp_path))


@pytest.mark.parametrize("loaded, plain", PAIRS)
def test_sentence_head_scores_encoded_sentences_only(loaded, plain):
    import math

    from newsgraph.techniques.extractor import read
    from newsgraph.techniques.model import load_model
    model = load_model()
    assert model.sent_w is not None and model.sent_w.shape == (model.head_w.shape[0],)  # [CLS] + mean
    text = f"{loaded}\n{plain}\n"
    spans = [(0, len(loaded)), (len(loaded) + 1, len(text) - 1)]
    filtered = read(model, text, spans)
    assert filtered.head[0] is not None and filtered.head[1] is None  # the plain one is not encoded
    everything = read(model, text, spans, prefilter=-math.inf)
    assert everything.head[0] > everything.head[1]


def test_dequantized_encoder_reproduces_the_shipped_tagger():
    """The shipped int8 encoder read back to fp32 torch (how v4's training stage started)."""
    pytest.importorskip("onnx")
    torch = pytest.importorskip("torch")
    from newsgraph.techniques.dequantize import load_shipped
    from newsgraph.techniques.model import load_model, model_dir
    from newsgraph.techniques.windows import batch_arrays, make_windows

    bert, hd, config = load_shipped(model_dir(), None)
    assert len(bert.encoder.layer) == 4 and config["hidden_size"] == 384
    model = load_model()
    text = PAIRS[0][0]
    windows = make_windows(model.tokenizer, text, [(0, len(text))])
    tags, _ = model.encode(windows)
    ids, mask = (torch.from_numpy(a) for a in batch_arrays(windows))
    with torch.no_grad():
        probs = hd["tag"](bert.eval()(ids, mask)).softmax(-1)[0, 1:len(windows[0].ids) + 1].numpy()
    assert abs(probs - tags[0]).max() < 0.2   # int8 activations move scores by a few hundredths
    assert ((probs[:, 0] < 0.5) == (tags[0][:, 0] < 0.5)).mean() >= 0.9


@pytest.mark.parametrize("lexical, tagger, head, stack, expected", [
    (0.0, None, None, [1.0, 1.0, 0.0, 2.0, 0.0], 0.5),   # not encoded: the pre-filter's own line
    (1.0, 0.5, None, [1.0, 3.0, -1.0, 9.0, 9.0], 0.5),    # logit(0.5) = 0: a_lex * 1 + b = 0
    (1.0, 0.5, 1.0, [1.0, 3.0, 2.0, -3.0, 9.0, 9.0], 0.5),  # with the sentence head: 1 + 0 + 2 - 3 = 0
    (1.0, 0.5, -1.0, [1.0, 3.0, 2.0, -1.0, 9.0, 9.0], 1 / (1 + math.e ** 2)),  # 1 + 0 - 2 - 1 = -2
    (0.0, None, None, [1.0, 1.0, 5.0, 0.0, 2.0, 0.0], 0.5),  # six-value stack, not encoded
])
def test_sentence_score_stacks_the_scores(lexical, tagger, head, stack, expected):
    from newsgraph.techniques.sentence import sentence_score
    assert sentence_score(lexical, tagger, stack, head) == pytest.approx(expected)


def test_sentences_carry_scores_and_sentence_scale_spans_cover_a_sentence(editorial):
    from newsgraph.techniques.labels import SENTENCE_SCALE
    techniques, sentences = extract_techniques(editorial, [], 0.3)
    assert all(s.score is not None and 0.0 <= s.score <= 1.0 for s in sentences)
    assert sentences[0].score > sentences[-1].score  # the loaded line above the bridge figures
    for s in sentences:  # a sentence lists techniques only when it scores at least the threshold
        assert not s.techniques or s.score >= 0.3
    spans = {s.span for s in sentences}
    assert all(t.span in spans for t in techniques if t.technique in SENTENCE_SCALE)


def test_sentence_spans_follow_lines(nlp):
    from newsgraph.techniques.windows import sentence_spans
    text = "A first line without a stop\nA second one. And a third sentence here.\n"
    assert [text[s:e] for s, e in sentence_spans(nlp(text))] == [
        "A first line without a stop", "A second one.", "And a third sentence here."]


def test_lexical_and_sentence_trainers_fit_on_own_lines():
    """Both trainers share fit_sparse; each learns its own task from a few invented lines."""
    pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")
    from newsgraph.techniques.train_lexical import train_lexical
    from newsgraph.techniques.train_sentence import train_sentence

    text = ("The plan is a shameful betrayal of us all.\nThe bridge opens on Monday at nine.\n"
            "Traitors and cowards ruin everything we love.\nRain is likely later today in town.")
    spans = [{"start": 14, "end": 31, "technique": "Loaded_Language"},
             {"start": 88, "end": 96, "technique": "Name_Calling,Labeling"}]
    docs = [{"text": text, "spans": spans}] * 4
    from newsgraph.techniques.features import normalise, span_features
    from newsgraph.techniques.labels import LABELS
    from newsgraph.techniques.train_sentence import sentence_examples

    lexical = train_lexical(docs, min_count=1)
    probs = lexical.probs([span_features(text, (14, 31), normalise(text))])[0]
    assert LABELS[int(probs.argmax())] == "Loaded_Language"
    scorer = train_sentence(docs, min_count=1)
    feats, ys = sentence_examples(docs[:1])
    assert ys == [1, 0, 1, 0]
    logits = [scorer.logit(f) for f in feats]
    assert min(logits[0], logits[2]) > max(logits[1], logits[3])


def _reading(text: str, sents, cands):
    """A hand-built Reading: one window per sentence, candidate spans with given raw scores."""
    import numpy as np

    from newsgraph.techniques.extractor import Candidate, Reading
    from newsgraph.techniques.windows import Window

    windows = [Window(s, e, [1000], [(s, e)]) for s, e in sents]
    hidden = [np.zeros((3, 4)) for _ in sents]
    tags = [np.array([[0.5, 0.3, 0.2]]) for _ in sents]
    candidates = [Candidate(k, (0, 1), span, raw) for k, span, raw in cands]
    return Reading(list(sents), [0.0] * len(sents), [0.5] * len(sents), [None] * len(sents), windows,
                   list(range(len(sents))), hidden, tags, candidates)


# Written for this test: two sentences, the first with one unsure span ("sorry"), the second none.
FILL_TEXT = "What a sorry state we are in.\nNobody could ever fix it now."


@pytest.mark.parametrize("floor, fill, expected", [
    (0.3, 0.4, [1]),        # the 0.35 span in sentence 0 counts as found: only sentence 1 is filled
    (0.4, 0.4, [0, 1]),     # under a 0.4 floor the 0.35 span is too unsure: both are filled
    (0.4, 0.6, []),         # neither sentence scores the fill level
])
def test_fill_covers_sentences_whose_spans_are_under_the_floor(floor, fill, expected):
    from newsgraph.techniques.extractor import fill_sentences

    sents = [(0, 29), (30, 59)]
    assert FILL_TEXT[30:59] == "Nobody could ever fix it now."
    reading = _reading(FILL_TEXT, sents, [(0, (7, 12), 0.35)])
    config = {"platt": [1.0, 0.0], "fill_floor": floor}   # identity calibration: score = raw
    picks = fill_sentences(reading, [0.5, 0.5], fill, config)
    assert [p.sentence for p in picks] == expected
    assert all(p.span == sents[p.sentence] and p.score == 0.5 for p in picks)


def test_shipped_model_is_the_step_version():
    """Stored records name the model that made them: the step version is the shipped model's."""
    from newsgraph.techniques import STEP
    from newsgraph.techniques.model import load_model

    assert load_model().config["name"] == STEP.version


@pytest.mark.parametrize("layers", [4, 6])
def test_every_training_pass_gets_the_layers_setting(monkeypatch, tmp_path, layers):
    """``train(args)`` hands ``args.layers`` to all five encoder passes (the rest stubbed out)."""
    from argparse import Namespace

    pytest.importorskip("torch", reason="train() needs the train extra (torch)")
    from newsgraph.techniques import export, train, train_encoder, train_lexical, train_sentence

    seen = []

    def fake_encoder(docs, base, out, layers=4, **kw):
        seen.append(layers)
        return out / "encoder.pt"

    class Saved:
        def save(self, *a):
            pass

    monkeypatch.setattr(train_encoder, "train_encoder", fake_encoder)
    monkeypatch.setattr(export, "export", lambda *a, **kw: None)
    monkeypatch.setattr(train_lexical, "train_lexical", lambda docs: Saved())
    monkeypatch.setattr(train_sentence, "train_sentence", lambda docs: Saved())
    monkeypatch.setattr(train_sentence, "train_tokens", lambda docs, base: Saved())
    monkeypatch.setattr(train, "base_model", lambda: tmp_path)
    monkeypatch.setattr(train, "read_jsonl", lambda path: [])
    monkeypatch.setattr(train, "tune_on_dev", lambda out, docs: {})
    assert train.train(Namespace(data=str(tmp_path), out=str(tmp_path), checkpoint=None, layers=layers)) == 0
    assert seen == [layers] * 5


def _write_memes(path, split="train"):
    """Two invented memes: a mapped label, a split label (Straw Man) and one PTC lacks (Smears)."""
    import json

    docs = [{"id": "m1", "orig_split": split, "text": "TAX THIEVES\n\nTHEY TAKE IT ALL",
             "spans": [{"start": 0, "end": 11, "technique": "Name calling/Labeling"},
                       {"start": 13, "end": 28, "technique": "Smears"}]},
            {"id": "m2", "orig_split": split, "text": "SO YOU WANT NO ROADS AT ALL?",
             "spans": [{"start": 0, "end": 28,
                        "technique": "Misrepresentation of Someone's Position (Straw Man)"}]}]
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_memes_map_to_ptc_labels_or_stay_untyped(tmp_path):
    from newsgraph.techniques.train import read_memes

    docs = read_memes(_write_memes(tmp_path / "memes21_train.jsonl"))
    assert [[(g["start"], g["end"], g["technique"]) for g in d["spans"]] for d in docs] == [
        [(0, 11, "Name_Calling,Labeling"), (13, 28, None)],
        [(0, 28, "Whataboutism,Straw_Men,Red_Herring")]]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_memes_outside_the_training_split_are_refused(tmp_path, split):
    from newsgraph.errors import ModelError
    from newsgraph.techniques.train import read_memes

    with pytest.raises(ModelError, match="training memes only"):
        read_memes(_write_memes(tmp_path / "memes.jsonl", split))


def test_untyped_meme_spans_are_tagged_but_not_labelled(tmp_path):
    """A Smears span gets B/I tags (a span for the tagger) and no label-head target."""
    from newsgraph.techniques.model import load_model
    from newsgraph.techniques.train import read_memes
    from newsgraph.techniques.train_encoder import examples

    docs = read_memes(_write_memes(tmp_path / "memes21_train.jsonl"))
    exs = examples(docs[:1], load_model().tokenizer, 128)
    assert [bool(any(x["tags"])) for x in exs] == [True, True]   # both lines hold a span
    assert [len(x["spans"]) for x in exs] == [1, 0]              # only the mapped one is labelled


@pytest.mark.parametrize("memes, n_encoder", [(None, 1), ("train", 3)])
def test_memes_reach_the_encoder_passes_only(monkeypatch, tmp_path, memes, n_encoder):
    """``--memes`` adds the training memes to all five encoder passes; the lexical classifiers,
    the pre-filter and the dev tuning see PTC documents only."""
    from argparse import Namespace

    pytest.importorskip("torch", reason="train() needs the train extra (torch)")
    from newsgraph.techniques import export, train, train_encoder, train_lexical, train_sentence

    _write_memes(tmp_path / "memes21_train.jsonl")
    ptc = [{"id": "p1", "text": "A plain line here.", "spans": []}]
    seen: dict[str, list[int]] = {"encoder": [], "lexical": [], "sentence": [], "tokens": [], "dev": []}

    def record(key, result=None):
        def fake(docs, *a, **kw):
            seen[key].append(len(docs))
            return result if result is not None else Saved()
        return fake

    class Saved:
        def save(self, *a):
            pass

    real_read = train.read_jsonl
    monkeypatch.setattr(train_encoder, "train_encoder", record("encoder", tmp_path / "encoder.pt"))
    monkeypatch.setattr(export, "export", lambda *a, **kw: None)
    monkeypatch.setattr(train_lexical, "train_lexical", record("lexical"))
    monkeypatch.setattr(train_sentence, "train_sentence", record("sentence"))
    monkeypatch.setattr(train_sentence, "train_tokens", record("tokens"))
    monkeypatch.setattr(train, "base_model", lambda: tmp_path)
    monkeypatch.setattr(train, "read_jsonl", lambda path: real_read(path) if "memes" in path.name else ptc)
    monkeypatch.setattr(train, "tune_on_dev", lambda out, docs: seen["dev"].append(len(docs)))
    args = Namespace(data=str(tmp_path), out=str(tmp_path), checkpoint=None, layers=None, memes=memes)
    assert train.train(args) == 0
    assert seen == {"encoder": [n_encoder] * 5, "lexical": [1], "sentence": [1], "tokens": [1], "dev": [1]}
