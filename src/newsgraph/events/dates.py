"""Event dates: time expressions resolved against the publication date, with their precision.

Rules in the spirit of TimeML/HeidelTime's news domain (Strötgen & Gertz 2013): a weekday
name means the most recent such day on or before publication ("on Tuesday" in a Thursday
story is two days earlier); "last/this/next week|month|year" shift the publication's period;
a month without a year is the latest such month not after publication. The date is the
first day of the period and ``precision`` says how much of it is meant: "day", "week",
"month", "season" or "year". A range ("between December 2013 and March of last year")
resolves to its start. Absolute dates need no publication date; relative ones do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
# Month and weekday names and their abbreviations, whole words only ("martyrs" is no March,
# "monitor" no Monday): no place name, and a number beside one may be a date.
CALENDAR_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | {"tues", "thur", "thurs", "mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"}


def is_calendar_word(word: str) -> bool:
    """"Jul", "Sept.", "Thursday": a month or weekday name or its abbreviation (any case)."""
    return word.lower().rstrip(".") in CALENDAR_WORDS


SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
MONTH_RE = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
REL = r"(last|this|next|past|previous|coming|earlier this|later this)"

PATTERNS = [  # (name, regex); tried in order, earlier wins on overlap
    ("iso", r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    ("dmy", r"\b(\d{1,2})(?:st|nd|rd|th)? " + MONTH_RE + r",? (\d{4})\b"),
    ("mdy", r"\b" + MONTH_RE + r" (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b"),
    ("dm", r"\b(\d{1,2})(?:st|nd|rd|th)? (?:of )?" + MONTH_RE + r"\b"),
    ("md", r"\b" + MONTH_RE + r" (\d{1,2})(?:st|nd|rd|th)?\b(?!,? \d{4})"),
    ("my", r"\b" + MONTH_RE + r",? (?:of )?(\d{4})\b"),
    ("m_rel_year", r"\b" + MONTH_RE + r" (?:of )?(last|this|next) year\b"),
    ("rel_unit", r"\b" + REL + r" (week|month|year|weekend)\b"),
    ("rel_season", r"\b" + REL + r" (spring|summer|autumn|fall|winter)\b"),
    ("rel_month", r"\b(last|this|next|earlier this) (" + "|".join(list(MONTHS)[:12]) + r")\b"),
    ("ago", r"\b(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten) (day|week|month|year)s? ago\b"),
    ("day_word", r"\b(today|yesterday|tonight|last night|this morning|this afternoon|this evening|tomorrow)\b"),
    ("weekday", r"\b(?:(last|next|this) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s|’s|s)?\b"),
    ("year", r"\b(?:in|since|during|of|from|by|until|early|late|mid-?) ?((?:19|20)\d{2})\b"),
]
COMPILED = [(name, re.compile(rx, re.I)) for name, rx in PATTERNS]
# Every pattern's match holds a digit or a word starting with one of these (case-insensitive, as
# the patterns): most sentences have neither, and one scan for them replaces fourteen.
MAY_HOLD_DATE = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat"
                           r"|sun|today|yesterday|tonight|tomorrow|day|week|month|year|spring|summer|autumn"
                           r"|fall|winter|night|morning|afternoon|evening)", re.I)
NUMWORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}


@dataclass(frozen=True, slots=True)
class TimeExpr:
    start: int       # character offsets of the expression in the text searched
    end: int
    date: str        # ISO date, first day of the period
    precision: str   # "day" | "week" | "month" | "season" | "year"


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_dates(text: str, published: str | None, offset: int = 0) -> list[TimeExpr]:
    """Every resolvable time expression in ``text`` (offsets shifted by ``offset``)."""
    if not MAY_HOLD_DATE.search(text):
        return []
    ref = parse_published(published)
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []
    for name, rx in COMPILED:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(name, [g.lower() if g else g for g in m.groups()], ref)
            if resolved:
                taken.append((m.start(), m.end()))
                out.append(TimeExpr(m.start() + offset, m.end() + offset, resolved[0].isoformat(), resolved[1]))
    return sorted(out, key=lambda t: t.start)


def _month_before(month: int, ref: date | None) -> date | None:
    if ref is None:
        return None
    year = ref.year if month <= ref.month else ref.year - 1
    return date(year, month, 1)


def _resolve(name: str, g: list, ref: date | None) -> tuple[date, str] | None:
    try:
        return _RESOLVERS[name](g, ref)
    except (ValueError, KeyError, TypeError):
        return None


def _day_of(month: int, day: int, ref: date | None) -> tuple[date, str] | None:
    if ref is None:
        return None
    d = date(ref.year, month, day)
    return (d if d <= ref + timedelta(days=1) else date(ref.year - 1, month, day)), "day"


def _rel_unit(g, ref):
    if ref is None:
        return None
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(g[0], 0)
    unit = g[1]
    if unit in ("week", "weekend"):
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        return (monday + timedelta(days=5) if unit == "weekend" else monday), ("day" if unit == "weekend" else "week")
    if unit == "month":
        y, m = divmod(ref.year * 12 + ref.month - 1 + step, 12)
        return date(y, m + 1, 1), "month"
    return date(ref.year + step, 1, 1), "year"


def _rel_season(g, ref):
    if ref is None:
        return None
    month = SEASONS[g[1]]
    year = ref.year + {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(g[0], 0)
    if g[0] in ("last", "past", "previous") and month <= ref.month and month != 12:
        year = ref.year  # "last summer" in an autumn story is this year's summer
    if g[0] in ("this", "earlier this") and date(year, month, 1) > ref:
        year -= 1  # news reports the past: "this summer" in a February story is last summer
    return date(year, month, 1), "season"


def _weekday(g, ref):
    if ref is None:
        return None
    back = (ref.weekday() - WEEKDAYS[g[1]]) % 7
    if g[0] == "next":
        return ref + timedelta(days=(WEEKDAYS[g[1]] - ref.weekday()) % 7 or 7), "day"
    if g[0] == "last" and back == 0:
        back = 7
    return ref - timedelta(days=back), "day"


def _day_word(g, ref):
    if ref is None:
        return None
    shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(g[0], 0)
    return ref + timedelta(days=shift), "day"


def _ago(g, ref):
    if ref is None:
        return None
    n = int(g[0]) if g[0].isdigit() else NUMWORDS[g[0]]
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[g[1]] * n
    prec = {"day": "day", "week": "week", "month": "month", "year": "year"}[g[1]]
    return ref - timedelta(days=days), prec


_RESOLVERS = {
    "iso": lambda g, ref: (date(int(g[0]), int(g[1]), int(g[2])), "day"),
    "dmy": lambda g, ref: (date(int(g[2]), MONTHS[g[1]], int(g[0])), "day"),
    "mdy": lambda g, ref: (date(int(g[2]), MONTHS[g[0]], int(g[1])), "day"),
    "dm": lambda g, ref: _day_of(MONTHS[g[1]], int(g[0]), ref),
    "md": lambda g, ref: _day_of(MONTHS[g[0]], int(g[1]), ref),
    "my": lambda g, ref: (date(int(g[1]), MONTHS[g[0]], 1), "month"),
    "m_rel_year": lambda g, ref: ref and (date(ref.year + {"last": -1, "next": 1}.get(g[1], 0),
                                                  MONTHS[g[0]], 1), "month"),
    "rel_unit": _rel_unit,
    "rel_season": _rel_season,
    "rel_month": lambda g, ref: ref and ((_month_before(MONTHS[g[1]], ref) if g[0] != "next" else
                                          date(ref.year + (MONTHS[g[1]] <= ref.month), MONTHS[g[1]], 1)), "month"),
    "ago": _ago,
    "day_word": _day_word,
    "weekday": _weekday,
    "year": lambda g, ref: (date(int(g[0]), 1, 1), "year"),
}


_SEASON_NAMES = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}


def display(iso: str | None, precision: str | None) -> str:
    """A date as precise as it was stated: "2019" for a year, "2021-03" for a month, "spring
    2021", an ISO week ("2021-W10"), else the day (the record keeps the period's first day)."""
    if not iso:
        return ""
    if precision == "year":
        return iso[:4]
    if precision == "month":
        return iso[:7]
    if precision == "season" and int(iso[5:7]) in _SEASON_NAMES:
        return f"{_SEASON_NAMES[int(iso[5:7])]} {iso[:4]}"
    if precision == "week":
        year, week, _ = date.fromisoformat(iso).isocalendar()
        return f"{year}-W{week:02d}"
    return iso


def date_near(exprs: list[TimeExpr], start: int, end: int, trigger: tuple[int, int]) -> TimeExpr | None:
    """The time expression in [start, end) closest to the trigger (after it preferred on ties)."""
    inside = [t for t in exprs if start <= t.start and t.end <= end]
    if not inside:
        return None
    return min(inside, key=lambda t: (min(abs(t.start - trigger[1]), abs(trigger[0] - t.end)), t.start < trigger[0]))
