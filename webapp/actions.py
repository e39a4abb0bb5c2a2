"""What the app's forms do: each records decisions in the round's review store, with the value before,
who and what it was about (the comment's text fingerprint). Nothing here changes a table: the next view,
run or «Lag dokumentene på nytt» applies the decisions (:mod:`pipeline.review.apply`)."""

from __future__ import annotations

import re

from pipeline import review
from pipeline.nb.stances import LABELS as STANCES
from pipeline.themes import NO_THEME, split_theme
from webapp.data import RoundView

CODE_RE = re.compile(r"^\s*(\d{1,3})\s*([FfSs])\s*$")


class Invalid(ValueError):
    """A form value that can't be used (shown to the user)."""


def _store(view: RoundView):
    return review.open_store(review.store_path(view.out_dir))


def _comment(view: RoundView, comment_id: str):
    if comment_id not in view.comments.index:
        raise Invalid("Finner ikke kommentaren (den kan være borte etter en ny kjøring).")
    return view.comments.loc[comment_id]


def _theme(view: RoundView, value) -> int:
    try:
        theme = int(value)
    except (TypeError, ValueError):
        raise Invalid("Velg et tema.") from None
    if theme != NO_THEME and theme not in view.themes.index:
        raise Invalid(f"Tema {theme} finnes ikke.")
    return theme


def normal_code(text: str) -> str:
    """«7 s» → 7S; anything else is refused."""
    found = CODE_RE.match(text or "")
    if not found:
        raise Invalid(f"«{text}» er ikke en tiltakskode (skriv f.eks. 7S eller 12F).")
    return f"{int(found[1])}{found[2].upper()}"


def rename(view: RoundView, who: str, theme: int, name: str) -> None:
    name = " ".join(name.split())[:120]
    with _store(view) as store:
        store.record(who, "theme.name", str(theme), before=view.theme_label(theme), after=name or None)


def note(view: RoundView, who: str, theme: int, text: str) -> None:
    with _store(view) as store:
        before = view.decisions.review.notes.get(theme)
        store.record(who, "theme.note", str(theme), before=before, after=text.strip()[:2000] or None)


def mark_reviewed(view: RoundView, who: str, theme: int, done: bool) -> None:
    with _store(view) as store:
        store.record(who, "theme.reviewed", str(theme), before=theme in view.decisions.reviewed, after=done)


def merge(view: RoundView, who: str, theme: int, into) -> None:
    target = _theme(view, into)
    if target in (theme, NO_THEME):
        raise Invalid("Velg et annet tema å slå sammen med.")
    with _store(view) as store:
        store.record(who, "theme.merge", str(theme), before=None, after=target)


def move(view: RoundView, who: str, comment_id: str, to) -> None:
    row, target = _comment(view, comment_id), _theme(view, to)
    with _store(view) as store:
        store.record(
            who, "comment.theme", comment_id, before=int(row.theme_id), after=target, about=review.fingerprint(row.text)
        )


def split(view: RoundView, who: str, theme: int, k) -> list[int]:
    """Part a theme into ``k`` by its comments' words: the first part keeps the id, the others get new ids
    (each comment moved is a decision). Returns the themes made."""
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise Invalid("Velg hvor mange deler temaet skal deles i.") from None
    members = view.by_theme.get(theme, [])
    if not 2 <= k <= min(10, len(members)):
        raise Invalid(f"Et tema med {len(members)} kommentarer kan deles i 2–{min(10, len(members))} deler.")
    texts = [str(view.comments.at[c, "text"]) for c in members]
    parts = split_theme(texts, k)
    first = max([*view.themes.index, *view.decisions.review.merges, *_pinned(view), 0]) + 1
    new_of = {p: (theme if i == 0 else first + i - 1) for i, p in enumerate(dict.fromkeys(parts.tolist()))}
    with _store(view) as store:
        for comment_id, text, part in zip(members, texts, parts.tolist()):
            if new_of[part] != theme:
                store.record(
                    who, "comment.theme", comment_id, before=theme, after=new_of[part], about=review.fingerprint(text)
                )
    return sorted(set(new_of.values()))


def _pinned(view: RoundView) -> list[int]:
    return [int(d.after) for d in view.decisions.themes.values() if isinstance(d.after, int)]


def link(view: RoundView, who: str, comment_id: str, code: str, keep: bool) -> None:
    """Confirm (``keep``) or reject the link of a comment to a measure; the machine's row goes with it."""
    row = _comment(view, comment_id)
    found = view.mentions[(view.mentions["comment_id"] == comment_id) & (view.mentions["code"] == code)]
    before = _plain(found.iloc[0].to_dict()) if len(found) else None
    held = view.decisions.mentions.get(f"{comment_id} {code}")
    if before is None and held is not None:  # a link rejected before: its decision carries the machine's row
        before = held.before
    with _store(view) as store:
        store.record(
            who, "mention", f"{comment_id} {code}", before=before, after=keep, about=review.fingerprint(row.text)
        )


def add_measure(view: RoundView, who: str, comment_id: str, code: str) -> str:
    code = normal_code(code)
    if code not in set(view.measures["code"]):
        raise Invalid(f"Planen har ikke tiltaket {code}.")
    link(view, who, comment_id, code, True)
    return code


def drift(view: RoundView, who: str, comment_id: str, cited: str, accept: bool) -> None:
    row = _comment(view, comment_id)
    found = view.mentions[(view.mentions["comment_id"] == comment_id) & (view.mentions["code"] == cited)]
    if not len(found) or not str(found.iloc[0]["machine_likely"] or found.iloc[0]["likely"]):
        raise Invalid("Kommentaren har ikke noe forslag om et annet tiltak for denne koden.")
    likely = str(found.iloc[0]["machine_likely"] or found.iloc[0]["likely"])
    with _store(view) as store:
        store.record(
            who,
            "drift",
            f"{comment_id} {cited}",
            before=likely,
            after=likely if accept else None,
            about=review.fingerprint(row.text),
        )


def stance(view: RoundView, who: str, comment_id: str, value: str) -> None:
    row = _comment(view, comment_id)
    if value not in STANCES:
        raise Invalid("Velg en holdning.")
    with _store(view) as store:
        store.record(
            who, "comment.stance", comment_id, before=str(row.stance), after=value, about=review.fingerprint(row.text)
        )


def sender(view: RoundView, who: str, response_id: str, name: str, kind: str) -> None:
    if response_id not in view.responses.index:
        raise Invalid("Finner ikke svaret.")
    name = " ".join(name.split())[:200]
    if not name or kind not in ("organisation", "person", "unknown"):
        raise Invalid("Skriv avsenderens navn og velg om det er en organisasjon eller en privatperson.")
    row = view.responses.loc[response_id]
    with _store(view) as store:
        store.record(
            who,
            "response.sender",
            response_id,
            before={"name": str(row.sender), "kind": str(row.sender_kind)},
            after={"name": name, "kind": kind},
        )


def _plain(row: dict) -> dict:
    """A mention row as JSON values."""
    out = {}
    for key, value in row.items():
        if hasattr(value, "item"):
            value = value.item()
        out[key] = value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
    return out
