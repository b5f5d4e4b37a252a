"""The numpy CRF inference (quotes/crf.py, features.feature_ids) against CRFsuite on the feature
strings it was trained on: same attributes per token, same labels, same marginals."""
from __future__ import annotations

import numpy as np
import pytest

from newsgraph.quotes import crf, marks
from newsgraph.quotes.features import (BASE_KEYS, coded_columns, doc_features, feature_ids, paragraphs,
                                       token_columns)
from newsgraph.quotes.tagger import load_tagger, model_path

TEXTS = [
    # quotes with both mark styles, a transcript turn, "according to", an unbalanced mark, a colon
    '"We will rebuild the bridge before the winter floods arrive," Mayor Linda Okafor said on Monday. '
    "She added that the council had set aside $4 million.\n\n"
    "According to the state auditor, the fund is short by a third.\n\n"
    "OKAFOR: We knew that in March.\n\n"
    "\u201cIt is not a budget, it is a wish list,\u201d said Councilman Ray Dunmore, who told reporters: "
    "\u201cNobody has read it.\n\n"
    "The vote is on Tuesday.",
    "A spokesman for the ministry declined to comment. The talks, which began in Oslo, resume next week.",
    "x",
]


@pytest.fixture(scope="module")
def model():
    return crf.load_model(str(model_path()))


@pytest.mark.parametrize("text", TEXTS)
def test_coded_columns_hold_the_values_of_token_columns(nlp, text):
    doc = nlp(text)
    inside = list(marks.mask(doc.text)) + [False]
    cols, _ = token_columns(doc, inside)
    coded = coded_columns(doc, marks.mask(doc.text))
    for key in BASE_KEYS:
        codes, values = coded[key]
        assert [values[c] for c in codes.tolist()] == cols[key], key


@pytest.mark.parametrize("text", TEXTS)
def test_feature_ids_are_the_known_feature_strings_in_order(nlp, model, text):
    doc = nlp(text)
    paras, feats = doc_features(doc)
    ids = feature_ids(doc, paras, model.attrs, model.unknown)
    flat = [f for para in feats for f in para]
    assert ids.shape[1] == len(flat) == sum(map(len, paras))
    for t, strings in enumerate(flat):
        want = [model.attrs[s] for s in strings if s in model.attrs]
        assert [a for a in ids[:, t].tolist() if a != model.unknown] == want


@pytest.mark.parametrize("text", TEXTS)
def test_decode_gives_crfsuite_labels_and_marginals(nlp, model, text):
    doc = nlp(text)
    paras, feats = doc_features(doc)
    scores = crf.state_scores(model, feature_ids(doc, paras, model.attrs, model.unknown))
    paths, margs = crf.decode(model, crf.per_paragraph(scores, paras))
    tagger = load_tagger()
    for f, path, marg in zip(feats, paths, margs):
        assert [model.labels[k] for k in path.tolist()] == tagger.tag(f)
        want = np.array([[tagger.marginal(lab, k) for lab in model.labels] for k in range(len(f))])
        assert np.abs(marg - want).max() < 1e-9


def test_model_file_reads_labels_and_weights(model):
    assert set(model.labels) == {"O", "B-C", "I-C", "B-S", "I-S", "B-Q", "I-Q"}
    assert model.weights.shape == (len(model.attrs) + 1, len(model.labels))
    assert not model.weights[model.unknown].any()
    assert model.attrs["rv=1"] != model.unknown and model.weights[model.attrs["rv=1"]].any()


def test_missing_model_says_how_to_rebuild(tmp_path):
    from newsgraph.errors import ModelError
    with pytest.raises(ModelError, match="newsgraph train quotes"):
        crf.load_model(str(tmp_path / "none.crfsuite"))


def test_paragraphs_of_an_empty_document(nlp):
    doc = nlp("")
    assert paragraphs(doc) == []
    model = crf.load_model(str(model_path()))
    assert feature_ids(doc, [], model.attrs, model.unknown).shape[1] == 0
