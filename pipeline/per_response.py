"""Running a stage response by response: a response the stage fails on is set aside with its reason.

Every stage that works per response (OCR repair, segmentation, stance) gives a :class:`PerResponse`:
its results, and the Norwegian reason for each response it raised on. The flow gathers the reasons
and turns those responses into error rows (:func:`mark_failed`); no other channel carries a failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from pipeline.ingest.extracted import reason
from pipeline.ingest.folder import Response

K = TypeVar("K")
T = TypeVar("T")
MAX_REASON = 500  # characters of a stage's error message kept in the reason
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PerResponse(Generic[T]):
    """A stage's result per response id (``ok``), and why it failed on the others (``failed``)."""

    ok: dict[str, T] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def stage_error(stage: str, exc: BaseException) -> str:
    """The Norwegian reason a stage failed on a response: ``Feil under OCR-rensing: ValueError: …``."""
    return f"Feil under {stage}: {type(exc).__name__}: {reason(exc)}"[:MAX_REASON]


def each_response(
    function: Callable[[K], T],
    inputs: Mapping[str, K],
    stage: str,
    files: Mapping[str, str] | None = None,
    logger: logging.Logger | logging.LoggerAdapter | None = None,
) -> PerResponse[T]:
    """``function`` on each input (per response id); one that raises is recorded in ``failed``, not raised.

    Args:
        function: the stage on one response's input.
        inputs: the input per response id.
        stage: the stage's Norwegian name, for the reason: "OCR-rensing", "oppdeling i kommentarer", ...
        files: source file per response id, for the warning logged on a failure.
        logger: where that warning goes (default: this module's logger).
    """
    files, logger = files or {}, logger or log
    result: PerResponse[T] = PerResponse()
    for response_id, value in inputs.items():
        try:
            result.ok[response_id] = function(value)
        except Exception as exc:  # one response must not stop the round
            result.failed[response_id] = stage_error(stage, exc)
            logger.warning("Hopper over %s: %s", files.get(response_id, response_id), result.failed[response_id])
    return result


def mark_failed(responses: Sequence[Response], failed: Mapping[str, str]) -> list[Response]:
    """The responses, those in ``failed`` (response id -> reason) turned into error rows without text."""
    return [
        replace(r, status="error", error=failed[r.response_id], text="") if r.response_id in failed else r
        for r in responses
    ]
