"""What people decided, applied to the machine's tables: pure functions of (table, :class:`Decisions`).

Each table keeps what the machine found beside what holds after review (``machine_stance``,
``machine_sender``, ``machine_likely``, …) and says what a person checked (``stance_checked``,
``sender_checked``, a mention's ``checked``), so applying the same decisions twice gives the same
table, and a decision taken back brings the machine's value back. A decision about a comment that is
gone, or whose text has changed since the decision (:func:`pipeline.review.store.fingerprint`), is
not applied but listed by :func:`unapplied`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.nb.stances import LABELS as STANCES
from pipeline.review.store import Decision, ReviewStore, fingerprint, open_store, store_path
from pipeline.tables import to_frame
from pipeline.themes.ids import NO_THEME, Review

CONFIRMED, ADDED = "confirmed", "added"  # a mention's ``checked``: a person kept it, or added it
PERSON = "person"  # the ``kind`` of a mention a person added


@dataclass(frozen=True)
class Decisions:
    """What holds now in a round's review store, by kind of decision and target."""

    stances: dict[str, Decision] = field(default_factory=dict)  # comment id → stance
    themes: dict[str, Decision] = field(default_factory=dict)  # comment id → theme id (-1: none)
    mentions: dict[str, Decision] = field(default_factory=dict)  # "<comment id> <code>" → kept?
    drift: dict[str, Decision] = field(default_factory=dict)  # "<comment id> <cited>" → likely code or None
    senders: dict[str, Decision] = field(default_factory=dict)  # response id → {name, kind}
    review: Review = field(default_factory=lambda: Review({}, {}, {}))
    reviewed: frozenset[int] = frozenset()  # themes a person has checked

    @classmethod
    def of(cls, store: ReviewStore) -> Decisions:
        """The decisions that hold now in ``store``."""
        from pipeline.review.store import theme_review

        reviewed = {int(t) for t, v in store.current("theme.reviewed").items() if v}
        return cls(
            stances=store.latest("comment.stance"),
            themes=store.latest("comment.theme"),
            mentions=store.latest("mention"),
            drift=store.latest("drift"),
            senders=store.latest("response.sender"),
            review=theme_review(store),
            reviewed=frozenset(reviewed),
        )


def read_decisions(out_dir: Path) -> Decisions:
    """The decisions of the round with output folder ``out_dir`` (none if it has no store yet)."""
    path = store_path(out_dir)
    if not path.exists():
        return Decisions()
    with open_store(path) as store:
        return Decisions.of(store)


def review_stances(comments: pd.DataFrame, decisions: Decisions) -> pd.DataFrame:
    """``stance`` as people set it (``machine_stance``: the model's; ``stance_checked``: set by a person)."""
    machine = _machine(comments, "stance", "stance_checked")
    held = _holding(decisions.stances, comments)
    stance = [
        held[c].after if c in held and held[c].after in STANCES else m for c, m in zip(comments["comment_id"], machine)
    ]
    return comments.assign(
        machine_stance=pd.array(machine, dtype="string"),
        stance=pd.array(stance, dtype="string"),
        stance_checked=[c in held and held[c].after in STANCES for c in comments["comment_id"]],
    )


def review_senders(table: pd.DataFrame, decisions: Decisions) -> pd.DataFrame:
    """``sender`` and ``sender_kind`` of each row's response as people set them (``responses`` or
    ``comments``; the machine's in ``machine_sender`` and ``machine_sender_kind``)."""
    name, kind = _machine(table, "sender", "sender_checked"), _machine(table, "sender_kind", "sender_checked")
    set_by = {r: d.after for r, d in decisions.senders.items() if isinstance(d.after, dict) and d.after.get("name")}
    rows = table["response_id"].tolist()
    return table.assign(
        machine_sender=pd.array(name, dtype="string"),
        machine_sender_kind=pd.array(kind, dtype="string"),
        sender=pd.array([set_by[r]["name"] if r in set_by else n for r, n in zip(rows, name)], dtype="string"),
        sender_kind=pd.array(
            [set_by[r].get("kind") or k if r in set_by else k for r, k in zip(rows, kind)], dtype="string"
        ),
        sender_checked=[r in set_by for r in rows],
    )


def review_mentions(
    mentions: pd.DataFrame, comments: pd.DataFrame, decisions: Decisions, codes: Iterable[str]
) -> pd.DataFrame:
    """The mentions with people's decisions: rejected links dropped, confirmed ones marked, added ones
    added (``kind`` ``person``), and drift suggestions accepted or rejected (``machine_likely``: the
    machine's suggestion)."""
    codes = set(codes)
    held = _holding(decisions.mentions, comments, key=_comment_of)
    rows = mentions.to_dict("records")
    for row in rows:
        if not row.get("checked"):  # else the table has been reviewed: machine_likely is the machine's
            row["machine_likely"] = row.get("likely", "")
        row["likely"] = row["machine_likely"]
        row["checked"] = ""
    by_key = {f"{r['comment_id']} {r['code']}": r for r in rows}
    dropped: set[str] = set()
    for key, decision in held.items():
        comment_id, code = key.split(" ", 1)
        if decision.after is True and key in by_key:
            by_key[key]["checked"] = CONFIRMED if by_key[key]["kind"] != PERSON else ADDED
        elif decision.after is True:
            by_key[key] = _added(comment_id, code, decision, code in codes)
            rows.append(by_key[key])
        elif decision.after is False:
            dropped.add(key)
    for key, decision in _holding(decisions.drift, comments, key=_comment_of).items():
        if key in by_key:
            by_key[key]["likely"] = decision.after if decision.after in codes else ""
            by_key[key]["checked"] = by_key[key]["checked"] or CONFIRMED
    return to_frame([r for r in rows if f"{r['comment_id']} {r['code']}" not in dropped], "mentions")


def _machine(table: pd.DataFrame, column: str, checked: str) -> list:
    """The machine's value of ``column`` per row: kept in ``machine_<column>`` where a person changed it."""
    if checked not in table:
        return table[column].tolist()
    return [m if c else v for v, m, c in zip(table[column], table[f"machine_{column}"], table[checked].astype(bool))]


def _added(comment_id: str, code: str, decision: Decision, valid: bool) -> dict:
    """The mention a person confirmed that the machine did not find (again): the row the decision
    carries (a machine mention rejected and taken back), else one of kind ``person``."""
    if isinstance(decision.before, dict) and decision.before.get("code") == code:
        return {**decision.before, "comment_id": comment_id, "checked": CONFIRMED}
    return {
        "comment_id": comment_id,
        "code": code,
        "kind": PERSON,
        "valid": valid,
        "score": 1.0,
        "evidence": "",
        "likely": "",
        "drift_score": 0.0,
        "machine_likely": "",
        "checked": ADDED,
    }


def theme_pins(comments: pd.DataFrame, decisions: Decisions) -> dict[str, int]:
    """comment id → the theme a person put it in (-1: none), for the comments still there."""
    return {c: int(d.after) for c, d in _holding(decisions.themes, comments).items() if _is_int(d.after)}


def pin_themes(ids: np.ndarray, comment_ids: list[str], pins: Mapping[str, int]) -> np.ndarray:
    """Theme ids with people's moves applied (before merges: a comment moved into a merged theme follows it)."""
    return np.array([pins.get(c, t) for c, t in zip(comment_ids, ids.tolist())], dtype="int64")


def review_theme_ids(comments: pd.DataFrame, decisions: Decisions) -> pd.DataFrame:
    """The comments with ``theme_id`` as people left it: the clustering's theme (``machine_theme_id``;
    ``theme_id`` in tables of runs before review), moved where a person put it, then merged; with
    ``theme_checked`` for the moved ones."""
    pins = theme_pins(comments, decisions)
    ids = comments["comment_id"].tolist()
    clustered = comments["machine_theme_id"] if "machine_theme_id" in comments else comments["theme_id"]
    checked = comments["theme_checked"].astype(bool) if "theme_checked" in comments else False
    machine = clustered.where(checked | (clustered != NO_THEME), comments["theme_id"]).to_numpy(dtype="int64")
    themes = decisions.review.apply(pin_themes(machine, ids, pins)).astype("int64")
    return comments.assign(theme_id=themes, machine_theme_id=machine, theme_checked=[c in pins for c in ids])


def review_themes(themes: pd.DataFrame, decisions: Decisions) -> pd.DataFrame:
    """The themes table with ``reviewed`` (a person checked the theme) and the analyst's ``note``."""
    ids = themes["theme_id"].astype(int).tolist()
    return themes.assign(
        reviewed=[t in decisions.reviewed for t in ids],
        note=pd.array([decisions.review.notes.get(t, "") for t in ids], dtype="string"),
    )


def unapplied(decisions: Decisions, comments: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Decisions that no longer apply: their comment or response is gone, or the comment's text changed."""
    texts = dict(zip(comments["comment_id"], comments["text"]))
    rows = []
    for kind, held in (
        ("comment.stance", decisions.stances),
        ("comment.theme", decisions.themes),
        ("mention", decisions.mentions),
        ("drift", decisions.drift),
    ):
        for target, d in held.items():
            reason = _why_not(d, texts, _comment_of(target))
            if reason:
                rows.append(_unapplied_row(d, kind, reason))
    known = set(responses["response_id"])
    rows += [
        _unapplied_row(d, "response.sender", "svaret finnes ikke lenger")
        for r, d in decisions.senders.items()
        if r not in known
    ]
    return to_frame(rows, "unapplied")


def _unapplied_row(d: Decision, kind: str, reason: str) -> dict:
    return {
        "decision_id": d.id,
        "kind": kind,
        "target": d.target,
        "who": d.who,
        "at": d.at,
        "after": str(d.after),
        "reason": reason,
    }


def _why_not(decision: Decision, texts: Mapping[str, str], comment_id: str) -> str:
    if comment_id not in texts:
        return "kommentaren finnes ikke lenger"
    if decision.about and decision.about != fingerprint(texts[comment_id]):
        return "kommentarens tekst er endret siden beslutningen"
    return ""


def _holding(held: Mapping[str, Decision], comments: pd.DataFrame, key=lambda target: target) -> dict[str, Decision]:
    """The decisions whose comment is there, with the text it had when the decision was made."""
    texts = dict(zip(comments["comment_id"], comments["text"]))
    return {t: d for t, d in held.items() if not _why_not(d, texts, key(t))}


def _comment_of(target: str) -> str:
    return target.split(" ", 1)[0]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= NO_THEME
