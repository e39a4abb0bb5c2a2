"""A processed round as the review app shows it: the last run's tables with every decision in the
review store applied (stances, senders, links, moves, merges, names), made once per change and kept in
memory, so that a page is a few look-ups and a page of rows.

The view is made again when the tables change (a run, «Lag dokumentene på nytt») or a decision is
added; on a round of 15,000 comments that takes a fraction of a second, and pages then answer in
milliseconds (``bench/app_pages.py``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline import review
from pipeline.nb.stances import LABELS as STANCES
from pipeline.summaries.per_measure import effective_codes
from pipeline.tables import with_defaults
from pipeline.text.keywords import top_keywords
from pipeline.themes import NO_THEME

TABLES = ("comments", "mentions", "responses", "themes", "measure_summary")


@dataclass
class RoundView:
    """One round, reviewed: tables indexed for the pages."""

    name: str
    out_dir: Path
    comments: pd.DataFrame  # indexed by comment_id
    mentions: pd.DataFrame
    responses: pd.DataFrame  # indexed by response_id
    measures: pd.DataFrame  # code, text, area, in plan order
    themes: pd.DataFrame  # one row per theme now (see _themes), indexed by theme_id
    decisions: review.Decisions
    version: int
    by_theme: dict[int, list[str]] = field(default_factory=dict)
    by_code: dict[str, list[str]] = field(default_factory=dict)
    codes_of: dict[str, list[str]] = field(default_factory=dict)
    by_response: dict[str, list[str]] = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False)

    def theme_label(self, theme_id: int) -> str:
        if theme_id == NO_THEME:
            return "Uten tema"
        return str(self.themes.at[theme_id, "label"]) if theme_id in self.themes.index else f"Tema {theme_id}"

    def memo(self, key, make):
        """``make()``, made once per view (a view never changes: a new decision makes a new view)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]


_CACHE: dict[Path, tuple[tuple, RoundView]] = {}
_TABLES: dict[Path, tuple[tuple, Tables]] = {}  # the last run's tables, as read
_LOCK = threading.Lock()


def load_round(name: str, out_dir: Path) -> RoundView:
    """The round's view, made again only if its tables or its decisions changed since the last call."""
    out_dir = Path(out_dir)
    with _LOCK:
        key = _key(out_dir)
        held = _CACHE.get(out_dir)
        if held is None or held[0] != key:
            held = (key, _view(name, out_dir, _tables(out_dir, key[:-1]), key[-1]))
            _CACHE[out_dir] = held
        return held[1]


def _key(out_dir: Path) -> tuple:
    stamps = tuple((out_dir / f"{t}.parquet").stat().st_mtime_ns for t in TABLES)
    path = review.store_path(out_dir)
    if not path.exists():
        return (*stamps, 0)
    with review.open_store(path) as store:
        return (*stamps, store.last_id())


def _tables(out_dir: Path, stamps: tuple) -> Tables:
    """The run's tables (read again only when a run or «Lag dokumentene på nytt» wrote them), with the
    review columns an older run lacks, and text as Python strings: the decisions are applied to them
    row by row on every new decision, and a column of Arrow strings is slow to walk in Python."""
    held = _TABLES.get(out_dir)
    if held is None or held[0] != stamps:
        tables = {t: pd.read_parquet(out_dir / f"{t}.parquet") for t in TABLES}
        for t in ("comments", "mentions", "responses"):
            tables[t] = with_defaults(tables[t], t)
        strings = {t: {c: d for c, d in f.dtypes.items() if isinstance(d, pd.StringDtype)} for t, f in tables.items()}
        held = (stamps, Tables({t: f.astype(dict.fromkeys(strings[t], object)) for t, f in tables.items()}, strings))
        _TABLES[out_dir] = held
    return held[1]


@dataclass(frozen=True)
class Tables:
    """A run's tables with Python strings (``frames``), and the string dtypes they were read with."""

    frames: dict[str, pd.DataFrame]
    strings: dict[str, dict[str, object]]

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.frames[table]

    def as_read(self, frame: pd.DataFrame, table: str) -> pd.DataFrame:
        """``frame`` (made from ``table``) with the string columns still of Python strings as they were read."""
        back = {c: d for c, d in self.strings[table].items() if c in frame and frame[c].dtype == object}
        return frame.astype(back) if back else frame


def _view(name: str, out_dir: Path, tables: Tables, version: int) -> RoundView:
    decisions = review.read_decisions(out_dir)
    comments = review.review_stances(review.review_senders(tables["comments"], decisions), decisions)
    comment_ids = comments["comment_id"].tolist()
    comments = review.review_theme_ids(comments, decisions)
    ids = comments["theme_id"].to_numpy()
    measures = tables["measure_summary"][["code", "text", "area"]].reset_index(drop=True)
    mentions = review.review_mentions(tables["mentions"], comments, decisions, measures["code"])
    mentions = mentions.assign(effective=effective_codes(mentions))
    responses = review.review_senders(tables["responses"], decisions)
    view = RoundView(
        name,
        out_dir,
        tables.as_read(comments, "comments").set_index("comment_id", drop=False).rename_axis(None),
        mentions,
        tables.as_read(responses, "responses").set_index("response_id", drop=False).rename_axis(None),
        tables.as_read(measures, "measure_summary"),
        pd.DataFrame(),
        decisions,
        version,
    )
    mentioned, effective = mentions["comment_id"].tolist(), mentions["effective"].tolist()
    view.by_theme = _groups(ids.tolist(), comment_ids)
    view.by_code = {c: list(dict.fromkeys(ids)) for c, ids in _groups(effective, mentioned).items()}
    view.codes_of = _groups(mentioned, effective)
    view.by_response = _groups(comments["response_id"].tolist(), comment_ids)
    view.themes = _themes(view, tables["themes"])
    return view


def _groups(keys, values) -> dict:
    found: dict = {}
    for k, v in zip(keys, values):
        found.setdefault(k, []).append(v)
    return found


def _themes(view: RoundView, table: pd.DataFrame) -> pd.DataFrame:
    """One row per theme as it is now: label (the analyst's name, else the run's label, else its top
    words), key phrases, size, voices and signers, stances, measures, checked and note."""
    run = table.set_index("theme_id", drop=False) if len(table) else table
    ids = sorted(t for t in view.by_theme if t != NO_THEME)
    new = [t for t in ids if t not in run.index]
    comments = view.comments
    text_of, response_of, stance_of = (
        dict(zip(comments["comment_id"].tolist(), comments[c].tolist())) for c in ("text", "response_id", "stance")
    )
    words = dict(zip(new, top_keywords([[text_of[c] for c in view.by_theme[t]] for t in new], n=3)))
    campaign = view.responses["campaign_id"].to_dict()
    rows = []
    for t in ids:
        members = view.by_theme[t]
        responses = list(dict.fromkeys(response_of[c] for c in members))
        stances = Counter(stance_of[c] for c in members)
        codes = Counter(c for cid in members for c in view.codes_of.get(cid, ()) if isinstance(c, str))
        label = view.decisions.review.names.get(t) or (
            str(run.at[t, "label"]) if t in run.index else ", ".join(words[t])
        )
        rows.append(
            {
                "theme_id": t,
                "label": label or f"Tema {t}",
                "phrases": _listed(run, t, "phrase_list") or words.get(t, []),
                "size": len(members),
                "n_voices": len({campaign.get(r) or r for r in responses}),
                "n_signers": len(responses),
                **{f"n_{s}": int(stances.get(s, 0)) for s in STANCES},
                "measures": dict(codes.most_common(5)),
                "reviewed": t in view.decisions.reviewed,
                "note": view.decisions.review.notes.get(t, ""),
                "new": t in new,
            }
        )
    return (
        pd.DataFrame(rows).set_index("theme_id", drop=False).rename_axis(None)
        if rows
        else pd.DataFrame(columns=["theme_id"])
    )


def _listed(run: pd.DataFrame, t: int, column: str) -> list[str]:
    if t not in run.index or column not in run:
        return []
    return [str(v) for v in run.at[t, column]]


def page(items: list, number: int, size: int = 50) -> tuple[list, int, int]:
    """One page of ``items`` (from 1): the items, the page number (kept in range) and the number of pages."""
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    return items[(number - 1) * size : number * size], number, pages


def rounds_in(folder: Path) -> Mapping[str, Path]:
    """The processed rounds in ``folder``: sub-folders with the tables of a run."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_dir() and (p / "comments.parquet").is_file()}
