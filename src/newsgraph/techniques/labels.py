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

# SemEval-2021 Task 6 (memes, subtask 2) labels -> the PTC label they rename (shared/data/
# techniques/README.md: the 2020 inventory merged Whataboutism, Straw Men and Red Herring, and
# Bandwagon with Reductio ad Hitlerum; PTC's Black-and-White Fallacy covers Dictatorship,
# Da San Martino et al., 2019). Smears, Glittering generalities and Obfuscation have no PTC
# class: their spans are training spans for the tagger but carry no label (``MEMES21_UNTYPED``).
MEMES21_TO_PTC: dict[str, str] = {
    "Loaded Language": "Loaded_Language",
    "Name calling/Labeling": "Name_Calling,Labeling",
    "Repetition": "Repetition",
    "Doubt": "Doubt",
    "Exaggeration/Minimisation": "Exaggeration,Minimisation",
    "Appeal to fear/prejudice": "Appeal_to_fear-prejudice",
    "Flag-waving": "Flag-Waving",
    "Causal Oversimplification": "Causal_Oversimplification",
    "Appeal to authority": "Appeal_to_Authority",
    "Slogans": "Slogans",
    "Black-and-white Fallacy/Dictatorship": "Black-and-White_Fallacy",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Misrepresentation of Someone's Position (Straw Man)": "Whataboutism,Straw_Men,Red_Herring",
    "Presenting Irrelevant Data (Red Herring)": "Whataboutism,Straw_Men,Red_Herring",
    "Thought-terminating cliché": "Thought-terminating_Cliches",
    "Bandwagon": "Bandwagon,Reductio_ad_hitlerum",
    "Reductio ad hitlerum": "Bandwagon,Reductio_ad_hitlerum",
}
MEMES21_UNTYPED: frozenset[str] = frozenset({
    "Smears",
    "Glittering generalities (Virtue)",
    "Obfuscation, Intentional vagueness, Confusion",
})
