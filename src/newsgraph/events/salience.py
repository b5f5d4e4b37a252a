"""The story's main event: which of a document's events the story is about, and which it recalls.

News is written as an inverted pyramid (Bell 1991, "The Language of News Media"; van Dijk
1988, "News as Discourse"): the headline and lead report the main event, and the body adds
detail, updates and background ("a day after dozens were killed in ...", "last month's
attack that killed 100"). So the main event is the first one reported, not the one with the
largest numbers. A casualty story's main event is its first event that carries a death toll
(a toll in the headline or lead is the event's toll); a story with no toll has the first
event that happened (not negated, not hypothetical) as its main event.

Background (van Dijk's "previous events" and "history" categories of the news schema) is
an event that happened before the story's news: dated more than a day before the start of the
main event's date (or before publication when the main event has no date), or told with a recall marker
("earlier this week", "last month", "three days ago", "in early October", "a day after"); a
count over several days ("in the past four days", "since the offensive began") is a tally
that the story adds to its news, not its news. Such events keep
their tolls but are flagged ``Event.background``, so a reader who wants the story's news (the
largest toll it reports, say) can leave them out.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..record import Event

MONTH = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
         r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b")
# Recall markers: a time before the news day that the date resolver cannot pin to a day.
RECALL = re.compile(r"\b(earlier (this|that|in the) (week|month|year)|(last|previous|past) (week|month|year)|"
                    r"(\w+|\d+) (days?|weeks?|months?|years?) (ago|earlier|before)|"
                    r"(in|since|by|until) (early|late|mid-?) ?" + MONTH + r"|"
                    r"(in|over|during) (the )?(past|last|recent|previous) (few |several |\w+ |\d+ )?(days|hours)|"
                    r"(hours|a day|\w+ days) after|since [^.]{0,40}\b(began|started))", re.I)
IN_MONTH = re.compile(r"\bin " + MONTH + r"(?! \d)", re.I)  # the latest such month: before the news unless it is the news month
MONTH_NUM = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
SPAN_DAYS = {"day": 1, "week": 7, "month": 31, "season": 92, "year": 366}


def main_event(events: list[Event]) -> Event | None:
    """The main event of a document's events (in document order), or None when there is none."""
    factual = [ev for ev in events if not ev.negated and not ev.hypothetical]
    counted = [ev for ev in factual if ev.killed is not None]
    pool = counted or factual
    return min(pool, key=lambda ev: (ev.sentence[0], ev.trigger[0])) if pool else None


def mark_main(events: list[Event], text: str = "", published: str | None = None) -> None:
    """Set ``Event.main`` on the main event (and on its compound-actor twins: events that share
    its trigger are one event with several actors), then ``Event.background`` on the others."""
    best = main_event(events)
    for ev in events:
        ev.main = best is not None and ev.trigger == best.trigger
    news_day = (_day(best.date) if best is not None else None) or _day(published)
    news_sentence = best.sentence if best is not None else None
    for ev in events:  # the main event's own sentence: only an event's own date sets it apart
        ev.background = not ev.main and _is_background(ev, text if ev.sentence != news_sentence else "", news_day)


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _is_background(ev: Event, text: str, news_day: date | None) -> bool:
    """Dated before the news day (the start of the main event's own date, else publication; a
    day's slack: overnight reports), or recalled in words."""
    start = _day(ev.date)
    if start is not None and news_day is not None:
        end = start + timedelta(days=SPAN_DAYS.get(ev.date_precision or "day", 1) - 1)
        if ev.date_precision == "month":  # the month's last day
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if end < news_day - timedelta(days=1):
            return True
    if not text:
        return False
    if RECALL.search(text, ev.sentence[0], ev.sentence[1]) is not None:
        return True
    return news_day is not None and any(  # "killed 37 civilians in April" in a June story
        MONTH_NUM[m.group(1).lower()[:3]] != news_day.month for m in IN_MONTH.finditer(text, ev.sentence[0], ev.sentence[1]))
