"""The flow's progress reaches listeners as events, in order, and only while they listen."""

from __future__ import annotations

import logging

from flows import progress


def test_listeners_get_each_step_and_its_details_while_listening(caplog):
    seen: list[progress.Progress] = []
    with caplog.at_level(logging.INFO), progress.listening(seen.append):
        progress.begin(5, "embedding av kommentarer og tiltak", logging.getLogger("test"))
        progress.detail("Embedding: 32 av 64 nye tekster")
    progress.begin(6, "finner tiltakene", logging.getLogger("test"))  # nobody listens any more
    assert seen == [
        progress.Progress(5, "embedding av kommentarer og tiltak"),
        progress.Progress(5, "embedding av kommentarer og tiltak", "Embedding: 32 av 64 nye tekster"),
    ]
    assert f"Steg 5/{progress.STEPS}: embedding av kommentarer og tiltak" in caplog.text  # Prefect's log says it too
