"""Reading table cells for documents: string columns as plain ``str``, list cells, Norwegian numbers.

Shared by the report, the notat and the workbook, which all read the contract tables the same way. A
column of lists (``quote_items``, ``representative_list``) is read with :func:`typed`: it is a list
when built in the run and a numpy array when read back from Parquet, and a table written by an older
run lacks it, so a reader falls back to the column's string twin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def strings(column: pd.Series) -> list[str]:
    """A string column as plain ``str`` values, missing ones as ``""``."""
    return ["" if pd.isna(v) else str(v) for v in column.tolist()]


def split(text: str, sep: str) -> list[str]:
    """The non-empty parts of a joined cell (``"a, b"`` → ``["a", "b"]``), stripped."""
    return [part.strip() for part in text.split(sep) if part.strip()]


def typed(value: Any) -> list[Any] | None:
    """A cell of a column of lists as a Python list; ``None`` where it is missing or empty (a table of
    an older run, a row built without it), so that the reader takes the string twin instead."""
    if isinstance(value, (list, tuple, np.ndarray)) and len(value):
        return list(value)
    return None


def typed_cells(frame: pd.DataFrame, column: str) -> list[list[Any] | None]:
    """:func:`typed` of each row's cell of ``column``; ``None`` for every row where the table lacks it."""
    return [typed(v) for v in frame[column].tolist()] if column in frame else [None] * len(frame)


def listed(frame: pd.DataFrame, column: str, twin: str, sep: str, show: Callable[[Any], str] = str) -> list[list[str]]:
    """Each row's values of the column of lists ``column``, each as ``show`` gives it; where a row has
    none (:func:`typed`), the string column ``twin`` split on ``sep``."""
    return [
        [show(v) for v in items] if items is not None else split(text, sep)
        for items, text in zip(typed_cells(frame, column), strings(frame[twin]))
    ]


def number(n: int) -> str:
    """Norwegian thousands grouping with a no-break space: 12 345."""
    return f"{n:,}".replace(",", "\u00a0")
