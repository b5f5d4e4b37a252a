"""The 14 SemEval-2020 Task 11 technique labels (exact strings; Da San Martino et al., 2020)."""
from __future__ import annotations

LABELS: tuple[str, ...] = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Doubt",
    "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Appeal_to_Authority",
    "Slogans",
    "Black-and-White_Fallacy",
    "Whataboutism,Straw_Men,Red_Herring",
    "Thought-terminating_Cliches",
    "Bandwagon,Reductio_ad_hitlerum",
)
TAGS: tuple[str, ...] = ("O", "B", "I")  # token tags of the span tagger

# Techniques PTC annotators mostly mark as a whole sentence or clause (40-64 % of their spans in
# ptc_train cover at least 80 % of their sentence, against 1-14 % for the word-level ones).
SENTENCE_SCALE: frozenset[str] = frozenset({
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Causal_Oversimplification",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Whataboutism,Straw_Men,Red_Herring",
    "Bandwagon,Reductio_ad_hitlerum",
    "Thought-terminating_Cliches",
})
