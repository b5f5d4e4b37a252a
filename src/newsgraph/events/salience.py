"""The story's main event: which of a document's events the story is about, and which it recalls.

News is written as an inverted pyramid (Bell 1991, "The Language of News Media"; van Dijk
1988, "News as Discourse"): the headline and lead report the main event, and the body adds
detail, updates and background ("a day after dozens were killed in ...", "last month's
attack that killed 100"). So the main event is the first one reported, not the one with the
largest numbers. A casualty story's main event is its first event that carries a death toll
(a toll in the headline or lead is the event's toll); a story with no toll has the first
event that happened (not negated, not hypothetical) as its main event.

Background (van Dijk's "previous events" and "history" categories of the news schema) is
an event that happened before the story's news: dated before the main event's own day (a day's
slack for overnight reports when the news day is only the publication date, none for a further
incident: "26 civilians were also killed yesterday"), or told with a recall marker ("earlier
this week", "last month", "three days ago", "in early October", "a day after"); a count over
several days ("in the past four days", "since the offensive began") and, after the lead, a
present-perfect count larger than the news event's ("327 people have also been killed in
clashes") are tallies that the story adds to its news, not its news. Such events keep their
tolls but are flagged ``Event.background``, so a reader who wants the story's news (the largest
toll it reports, say) can leave them out. A breakdown ("The toll includes 126 people killed by
rebel shelling") is part of the count before it, background when that count is.

Reports of one incident: a casualty story tells its incident several times -- headline, lead,
then each source's count ("The Observatory later said 31 people were killed", "Rescue workers
gave a higher toll of 23 dead", "The claim ... said 40 people had been killed"). Such a later
report is the same event, not a second one: it is linked to the first report with
``Event.same_as`` (the incident's toll stays the first report's, the lead's; the linked reports keep
their own counts, so the range of estimates stays visible). Event coders that skip this step
count one incident several times (the duplicate problem of GDELT-style event data, Schrodt
2012; Hanna 2014). A later casualty event is taken for a report of an earlier one only when
nothing sets it apart: no marker of a further incident ("also", "another", "elsewhere",
"meanwhile", "separately", "more", "in addition"), no place of its own other than the
earlier event's, no date of its own more than a day from it, and a count of the same order (at most
three times the earlier one and at least a third of it: a far larger count is a tally or a
different incident). A later report becomes the incident's principal one when it refines a
rounded first count ("more than 200", then "213") or is the total the first victims are among;
then the earlier reports, the main event among them, point at it.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..record import Event
from .places import _key, admin1

MONTH = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
         r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b")
# Recall markers: a time before the news day that the date resolver cannot pin to a day.
RECALL = re.compile(r"\b((earlier (this|that|in the)|later that) (week|month|year)|(last|previous|past) (week|month|year)|"
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


def mark_main(events: list[Event], text: str = "", published: str | None = None, lead_end: int = 0) -> None:
    """Set ``Event.main`` on the main event (and on its compound-actor twins: events that share
    its trigger are one event with several actors), then ``Event.background`` on the others.
    ``lead_end``: where the story's lead (headline and first sentence) ends; its counts are news."""
    best = main_event(events)
    for ev in events:
        ev.main = best is not None and ev.trigger == best.trigger
    own_day = _day(best.date) if best is not None and best.date_precision == "day" else None
    news_day = (_day(best.date) if best is not None else None) or _day(published)
    slack = 0 if own_day is not None else 1  # a main event dated to the day leaves no room for overnight reports
    news_sentence = best.sentence if best is not None else None
    further = {ev.sentence for ev in events if text and FURTHER.search(text, ev.sentence[0], ev.sentence[1])}
    for ev in events:  # the main event's own sentence: only an event's own date sets it apart
        own_text = text if ev.sentence != news_sentence else ""
        days = 0 if ev.sentence in further else slack  # a further incident, not the news told late
        ev.background = not ev.main and (_is_background(ev, own_text, news_day, days)
                                         or ev.sentence[0] >= lead_end and _running_total(ev, best, text))
    mark_reports(events, text, further)


# A further incident, not another report of the same one.
FURTHER = re.compile(r"\b(also|another|elsewhere|meanwhile|separately|in addition|additional|further|"
                     r"more(?! than)|second|similar|besides|as well)\b", re.I)
RATIO = 3  # a report's count within a factor of the first report's


def mark_reports(events: list[Event], text: str, further: set | None = None) -> None:
    """Link each report of an incident to the incident's principal report (``Event.same_as``):
    the first one, unless a later report refines a rounded first count ("more than 200 killed",
    then "at least 213 people") or gives the total the first count is among ("They were among 19
    people killed"). See the module docstring for when two reports are one incident. ``further``:
    the sentences that mark a further incident ("also", "another", ...), when the caller has them."""
    if further is None:
        further = {ev.sentence for ev in events if text and FURTHER.search(text, ev.sentence[0], ev.sentence[1])}
    incidents: list[list[Event]] = []  # each: [principal, *other reports]
    counted: list[Event] = []  # every earlier count, background ones too
    for ev in sorted(events, key=lambda e: (e.sentence[0], e.trigger[0])):
        ev.same_as = None
        if ev.killed is None or ev.negated or ev.hypothetical:
            continue
        whole = _breakdown_of(ev, counted, text)
        counted.append(ev)
        if whole is not None:  # "The toll includes 126 people killed by rebel shelling": a part of the last count
            ev.background = ev.background or whole.background
            home = next((r for r in incidents if whole in r), None)
            if home is not None and not ev.main:
                home.append(ev)
            continue
        if ev.background:
            continue
        apart = ev.main or ev.sentence in further
        home = None if apart else next((r for r in incidents if _one_incident(r[0], ev)), None)
        if home is None:
            incidents.append([ev])
        elif _supersedes(home[0], ev, text):
            home.insert(0, ev)
        else:
            home.append(ev)
    for reports in incidents:
        for other in reports[1:]:
            other.same_as = reports[0].id


BREAKDOWN = re.compile(r"\W*(the|those|these) (\w+ )?(toll|deaths|dead|victims|killed|casualties|fatalities) "
                       r"(includes?|included|comprised?|were)\b", re.I)


def _breakdown_of(ev: Event, counted: list[Event], text: str) -> Event | None:
    """The earlier count that ``ev`` breaks down: a sentence opening "The toll includes ..." /
    "The deaths include ..." / "Those killed were ..." counts part of the last count before it."""
    if not text or not counted or not BREAKDOWN.match(text, ev.sentence[0], ev.sentence[1]):
        return None
    whole = counted[-1]
    return whole if whole.killed is not None and whole.killed >= ev.killed else None


ROUNDED = {"more than", "over", "about", "around", "nearly", "almost", "some", "approximately", "roughly"}
TOTAL = re.compile(r"\b(were|are|was) among (the )?(at least |more than |some )?\d", re.I)


def _supersedes(principal: Event, later: Event, text: str) -> bool:
    """A later report that carries the incident's count better than its principal: an exact
    count refining a rounded one (within a fifth, and above it where the first said "more
    than"), or the total that the earlier victims are among."""
    if text and TOTAL.search(text, later.sentence[0], later.sentence[1]) and later.killed > principal.killed:
        return True
    if principal.killed_hedge not in ROUNDED or principal.killed % 10 or later.killed % 10 == 0:
        return False
    if principal.killed_hedge in ("more than", "over") and later.killed <= principal.killed:
        return False
    return abs(later.killed - principal.killed) <= principal.killed / 5


def _one_incident(first: Event, later: Event) -> bool:
    if first.sentence == later.sentence and first.killed != later.killed:
        return False  # two counts in one sentence: two incidents ("the barrage killed 10 ... while the strikes killed 82")
    if not (first.killed / RATIO <= later.killed <= first.killed * RATIO):
        return False
    a, b = _day(first.date), _day(later.date)
    if a is not None and b is not None and abs((a - b).days) > 1:
        return False
    return _same_place(first, later)


def _same_place(first: Event, later: Event) -> bool:
    """A later report names no place of its own, or the first report's place (or a place in
    the same region of the same country)."""
    here, there = later.location, first.location
    if here is None or here.basis != "stated" or there is None:
        return True
    if _key(here.name) == _key(there.name):
        return True
    if here.country != there.country:
        return False
    region = admin1(here.name, (here.country,) if here.country else ())
    return region is not None and region == admin1(there.name, (there.country,) if there.country else ())


PERFECT = re.compile(r"\b(has|have)( also)? (been killed|died|cost|claimed|killed|left)\b", re.I)


def _running_total(ev: Event, best: Event | None, text: str) -> bool:
    """"At least 327 people have also been killed in clashes in the neighbouring province": a
    count in the present perfect with no date of its own, larger than the news event's, is the
    running total of the fighting around it (the perfect of "current relevance", Quirk et al.
    1985, section 4.22), not another incident of the news day."""
    if not text or best is None or best.killed is None or ev.killed is None or ev.date is not None:
        return False
    return ev.killed > best.killed and PERFECT.search(text, ev.sentence[0], ev.sentence[1]) is not None


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _is_background(ev: Event, text: str, news_day: date | None, slack: int = 1) -> bool:
    """Dated before the news day (the start of the main event's own date, else publication,
    with ``slack`` days for overnight reports), or recalled in words."""
    start = _day(ev.date)
    if start is not None and news_day is not None:
        end = start + timedelta(days=SPAN_DAYS.get(ev.date_precision or "day", 1) - 1)
        if ev.date_precision == "month":  # the month's last day
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if end < news_day - timedelta(days=slack):
            return True
    if not text:
        return False
    if RECALL.search(text, ev.sentence[0], ev.sentence[1]) is not None:
        return True
    return news_day is not None and any(  # "killed 37 civilians in April" in a June story
        MONTH_NUM[m.group(1).lower()[:3]] != news_day.month for m in IN_MONTH.finditer(text, ev.sentence[0], ev.sentence[1]))
