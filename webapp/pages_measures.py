"""The planners' pages: the measures, one measure's comments (filtered by stance, sender, theme) with
the links, stances and drift suggestions to confirm or correct, and one response: its cleaned text
with its comments marked, the text as received beside it, and its sender to correct."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request

from pipeline import review
from webapp import actions
from webapp.data import RoundView, page
from webapp.main import Refused, back, check_version, editing, render, signed_in, the_round

router = APIRouter()


@router.get("/r/{name}/tiltak")
def measures(request: Request, name: str):
    signed_in(request)
    view = the_round(request, name)
    return render(request, "measures.html", {"view": view, "rows": view.memo("measure rows", lambda: _rows(view))})


def _rows(view: RoundView) -> list[dict]:
    """Per measure: its comments, their responses and stances, and how many of its links a person checked."""
    comments = view.comments
    stance_of, response_of = (
        dict(zip(comments["comment_id"].tolist(), comments[c].tolist())) for c in ("stance", "response_id")
    )
    mentions = view.mentions
    checked = Counter(mentions.loc[(mentions["checked"] != "").fillna(False).astype(bool), "effective"].tolist())
    rows = []
    for m in view.measures.itertuples(index=False):
        ids = view.by_code.get(m.code, [])
        rows.append(
            {
                "code": m.code,
                "text": m.text,
                "n": len(ids),
                "responses": len({response_of[c] for c in ids}),
                "stances": Counter(stance_of[c] for c in ids),
                "checked": checked.get(m.code, 0),
            }
        )
    return rows


@router.get("/r/{name}/tiltak/{code}")
def measure_page(
    request: Request, name: str, code: str, holdning: str = "", avsender: str = "", tema: str = "", side: int = 1
):
    signed_in(request)
    view = the_round(request, name)
    found = view.measures[view.measures["code"] == code]
    if not len(found):
        raise Refused(404, f"Planen har ikke tiltaket {code}.")
    ids = view.by_code.get(code, [])
    chosen = view.comments.loc[ids] if ids else view.comments.iloc[0:0]
    senders = sorted(set(chosen["sender"]))
    if holdning:
        chosen = chosen[chosen["stance"] == holdning]
    if avsender:
        chosen = chosen[chosen["sender"] == avsender]
    if tema.lstrip("-").isdigit():
        chosen = chosen[chosen["theme_id"] == int(tema)]
    shown, number, pages = page(chosen["comment_id"].tolist(), side)
    links = view.mentions[(view.mentions["effective"] == code) & view.mentions["comment_id"].isin(shown)]
    by_comment = {r["comment_id"]: r for r in links.to_dict("records")}
    with review.open_store(review.store_path(view.out_dir)) as store:
        versions = {c: _comment_version(store, c, by_comment[c]["code"] if c in by_comment else code) for c in shown}
    return render(
        request,
        "measure.html",
        {
            "view": view,
            "measure": found.iloc[0].to_dict(),
            "comments": [
                view.comments.loc[c].to_dict() | {"link": by_comment.get(c), "version": versions[c]} for c in shown
            ],
            "total": len(ids),
            "filtered": len(chosen),
            "senders": senders,
            "themes": [(t, view.theme_label(t)) for t in view.themes.index],
            "filters": {"holdning": holdning, "avsender": avsender, "tema": tema},
            "page": number,
            "pages": pages,
        },
    )


def _comment_version(store, comment_id: str, code: str) -> int:
    return store.version(
        [("mention", f"{comment_id} {code}"), ("comment.stance", comment_id), ("drift", f"{comment_id} {code}")]
    )


async def _comment_change(request: Request, name: str) -> tuple:
    user, form = await editing(request)
    view = the_round(request, name)
    comment_id = str(form.get("kommentar", ""))
    with review.open_store(review.store_path(view.out_dir)) as store:
        check_version(form, _comment_version(store, comment_id, str(form.get("kode", ""))))
    return user, form, view, comment_id


def _run(request: Request, form: dict, view: RoundView, fallback: str, message: str, change) -> object:
    try:
        change()
    except actions.Invalid as exc:
        raise Refused(400, str(exc)) from None
    return back(request, form, fallback, message)


@router.post("/r/{name}/kobling")
async def link(request: Request, name: str):
    user, form, view, comment_id = await _comment_change(request, name)
    code, keep = str(form.get("kode", "")), form.get("behold") == "ja"
    message = f"Koblingen til {code} er {'bekreftet' if keep else 'avvist'}."
    return _run(
        request,
        form,
        view,
        f"/r/{name}/tiltak/{code}",
        message,
        lambda: actions.link(view, user.name, comment_id, code, keep),
    )


@router.post("/r/{name}/holdning")
async def stance(request: Request, name: str):
    user, form, view, comment_id = await _comment_change(request, name)
    value = str(form.get("holdning", ""))
    return _run(
        request,
        form,
        view,
        f"/r/{name}",
        "Holdningen er lagret.",
        lambda: actions.stance(view, user.name, comment_id, value),
    )


@router.post("/r/{name}/drift")
async def drift(request: Request, name: str):
    user, form, view, comment_id = await _comment_change(request, name)
    code, accept = str(form.get("kode", "")), form.get("godta") == "ja"
    message = "Forslaget er godtatt." if accept else f"Forslaget er avvist: kommentaren teller for {code}."
    return _run(
        request,
        form,
        view,
        f"/r/{name}/tiltak/{code}",
        message,
        lambda: actions.drift(view, user.name, comment_id, code, accept),
    )


@router.post("/r/{name}/legg-til-tiltak")
async def add_measure(request: Request, name: str):
    user, form = await editing(request)
    view = the_round(request, name)
    comment_id = str(form.get("kommentar", ""))
    try:
        # no version check: adding a link twice, or one someone else just added, means the same
        code = actions.add_measure(view, user.name, comment_id, str(form.get("kode", "")))
    except actions.Invalid as exc:
        raise Refused(400, str(exc)) from None
    return back(request, form, f"/r/{name}/tiltak/{code}", f"Kommentaren er koblet til {code}.")


@router.get("/r/{name}/svar/{response_id}")
def response_page(request: Request, name: str, response_id: str):
    signed_in(request)
    view = the_round(request, name)
    if response_id not in view.responses.index:
        raise Refused(404, "Finner ikke svaret.")
    cleaned, original = _texts(view, response_id)
    ids = view.by_response.get(response_id, [])
    comments = view.comments.loc[ids].sort_values("char_start").to_dict("records") if ids else []
    with review.open_store(review.store_path(view.out_dir)) as store:
        version = store.version([("response.sender", response_id)])
    return render(
        request,
        "response.html",
        {
            "view": view,
            "response": view.responses.loc[response_id].to_dict(),
            "pieces": _pieces(cleaned, comments),
            "original": original,
            "comments": comments,
            "version": version,
        },
    )


def _texts(view: RoundView, response_id: str) -> tuple[str, str]:
    folder = view.out_dir / "texts"
    read = lambda p: p.read_text(encoding="utf-8") if p.is_file() else ""  # noqa: E731
    return read(folder / f"{response_id}.txt"), read(folder / f"{response_id}.original.txt")


def _pieces(text: str, comments: list[dict]) -> list[tuple[str, dict | None]]:
    """The cleaned text cut at its comments: (text, comment or None), in order."""
    pieces, at = [], 0
    for c in comments:
        start, end = int(c["char_start"]), int(c["char_end"])
        if start < at or end > len(text) or text[start:end] != c["text"]:
            continue  # offsets that don't fit the text: the comment is listed, not marked
        pieces += [(text[at:start], None), (text[start:end], c)]
        at = end
    return [*pieces, (text[at:], None)]


@router.post("/r/{name}/svar/{response_id}/avsender")
async def sender(request: Request, name: str, response_id: str):
    user, form = await editing(request)
    view = the_round(request, name)
    with review.open_store(review.store_path(view.out_dir)) as store:
        check_version(form, store.version([("response.sender", response_id)]))
    fallback = f"/r/{name}/svar/{response_id}"
    change = lambda: actions.sender(view, user.name, response_id, str(form.get("navn", "")), str(form.get("type", "")))  # noqa: E731
    return _run(request, form, view, fallback, "Avsenderen er lagret.", change)
