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
