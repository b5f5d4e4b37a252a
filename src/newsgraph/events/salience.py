"""The story's main event: which of a document's events the story is about.

News is written as an inverted pyramid (Bell 1991, "The Language of News Media"; van Dijk
1988, "News as Discourse"): the headline and lead report the main event, and the body adds
detail, updates and background ("a day after dozens were killed in ...", "last month's
attack that killed 100"). So the main event is the first one reported, not the one with the
largest numbers. A casualty story's main event is its first event that carries a death toll
(a toll in the headline or lead is the event's toll); a story with no toll has the first
event that happened (not negated, not hypothetical) as its main event.
"""
from __future__ import annotations

from ..record import Event


def main_event(events: list[Event]) -> Event | None:
    """The main event of a document's events (in document order), or None when there is none."""
    factual = [ev for ev in events if not ev.negated and not ev.hypothetical]
    counted = [ev for ev in factual if ev.killed is not None]
    pool = counted or factual
    return min(pool, key=lambda ev: (ev.sentence[0], ev.trigger[0])) if pool else None


def mark_main(events: list[Event]) -> None:
    """Set ``Event.main`` on the main event (and on its compound-actor twins: events that share
    its trigger are one event with several actors)."""
    best = main_event(events)
    for ev in events:
        ev.main = best is not None and ev.trigger == best.trigger
