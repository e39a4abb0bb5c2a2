"""The flow's progress as events: each step announces itself, and listeners (the command line's progress
bar) follow it. The flow logs the same steps for Prefect's log; nobody parses that text.

Listeners run in the flow's process (``horing run`` runs the flow in-process), on the thread that
announces, and must be quick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

STEPS = 9


@dataclass(frozen=True)
class Progress:
    """Step ``step`` of ``STEPS`` has begun (``detail`` empty), or reports how far it has come (``detail``)."""

    step: int
    text: str
    detail: str = ""


_listeners: list[Callable[[Progress], None]] = []
_current = Progress(0, "")


@contextmanager
def listening(listener: Callable[[Progress], None]) -> Iterator[None]:
    """Call ``listener`` with every :class:`Progress` event announced while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def begin(step: int, text: str, logger: logging.Logger | logging.LoggerAdapter) -> None:
    """Step ``step`` begins: logged as ``Steg n/N: text`` and announced to the listeners."""
    global _current
    logger.info("Steg %d/%d: %s", step, STEPS, text)
    _current = Progress(step, text)
    _announce(_current)


def detail(text: str) -> None:
    """How far the current step has come (e.g. ``Embedding: 64 av 300 nye tekster``), for the listeners."""
    _announce(Progress(_current.step, _current.text, text))


def _announce(event: Progress) -> None:
    for listener in list(_listeners):
        listener(event)
