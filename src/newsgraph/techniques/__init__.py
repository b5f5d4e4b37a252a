"""Persuasion techniques: span by span, labelled with the 14 SemEval-2020 Task 11 techniques,
and attributed to the voice that uses them (a quoted speaker, or the article itself).

    extract_techniques(doc, quotes, threshold) -> (list[Technique], list[Sentence])
    classify(text, spans) -> list[str]          # label given spans (the TC task)
"""
from __future__ import annotations

from ..steps import Step
from .extractor import classify, extract_techniques
from .labels import LABELS

__all__ = ["LABELS", "STEP", "classify", "extract_techniques"]


def _run(doc, record, settings) -> None:
    # record.text is doc.text (nlp.parse keeps offsets), without spaCy re-joining every token
    record.techniques, record.sentences = extract_techniques(doc, record.quotes, settings.technique_threshold,
                                                             text=record.text)


STEP = Step(name="techniques", version="techniques.minilm.v6", requires=("quotes",), run=_run)
