"""The analysts' pages: the themes (sort, filter), one theme with its comments, and what can be done
with them: rename, note, merge, split into k, move a comment, mark the theme reviewed."""

from __future__ import annotations

from fastapi import APIRouter, Request

from pipeline import review
from webapp import actions
from webapp.data import page
from webapp.main import Refused, back, check_version, editing, render, signed_in, the_round

router = APIRouter()
SORTS = {
    "storrelse": ("size", False),
    "stemmer": ("n_voices", False),
    "navn": ("label", True),
    "id": ("theme_id", True),
}


@router.get("/r/{name}/temaer")
def themes(request: Request, name: str, sorter: str = "storrelse", sok: str = "", status: str = ""):
    signed_in(request)
    view = the_round(request, name)
    table = view.themes
    if len(table) and sok.strip():
        words = sok.strip().lower()
        table = table[table.apply(lambda r: words in (r["label"] + " " + " ".join(r["phrases"])).lower(), axis=1)]
    if len(table) and status in ("ja", "nei"):
        table = table[table["reviewed"] == (status == "ja")]
    column, ascending = SORTS.get(sorter, SORTS["storrelse"])
    rows = table.sort_values([column, "theme_id"], ascending=[ascending, True]).to_dict("records") if len(table) else []
    outside = len(view.by_theme.get(-1, []))
    context = {"view": view, "rows": rows, "sort": sorter, "q": sok, "status": status, "outside": outside}
    return render(request, "themes.html", context)


@router.get("/r/{name}/tema/{theme}")
def theme_page(request: Request, name: str, theme: int, side: int = 1):
    signed_in(request)
    view = the_round(request, name)
    if theme != -1 and theme not in view.themes.index:
        raise Refused(404, f"Tema {theme} finnes ikke (lenger). Det kan være slått sammen med et annet.")
    members = view.by_theme.get(theme, [])
    shown, number, pages = page(members, side)
    with review.open_store(review.store_path(view.out_dir)) as store:
        version = store.theme_version(theme)
    return render(
        request,
        "theme.html",
        {
            "view": view,
            "theme": view.themes.loc[theme].to_dict() if theme != -1 else None,
            "theme_id": theme,
            "comments": view.comments.loc[shown].to_dict("records") if shown else [],
            "page": number,
            "pages": pages,
            "version": version,
            "others": [(t, view.theme_label(t)) for t in view.themes.index if t != theme],
        },
    )


async def _theme_change(request: Request, name: str, theme: int):
    user, form = await editing(request)
    view = the_round(request, name)
    if theme != -1 and theme not in view.themes.index:
        raise Refused(404, f"Tema {theme} finnes ikke (lenger).")
    with review.open_store(review.store_path(view.out_dir)) as store:
        check_version(form, store.theme_version(theme))
    return user, form, view


def _done(request: Request, form: dict, name: str, theme: int, message: str):
    return back(request, form, f"/r/{name}/tema/{theme}", message)


@router.post("/r/{name}/tema/{theme}/navn")
async def rename(request: Request, name: str, theme: int):
    user, form, view = await _theme_change(request, name, theme)
    actions.rename(view, user.name, theme, str(form.get("navn", "")))
    return _done(request, form, name, theme, "Navnet er lagret.")


@router.post("/r/{name}/tema/{theme}/merknad")
async def note(request: Request, name: str, theme: int):
    user, form, view = await _theme_change(request, name, theme)
    actions.note(view, user.name, theme, str(form.get("merknad", "")))
    return _done(request, form, name, theme, "Merknaden er lagret.")


@router.post("/r/{name}/tema/{theme}/gjennomgatt")
async def reviewed(request: Request, name: str, theme: int):
    user, form, view = await _theme_change(request, name, theme)
    done = form.get("gjennomgatt") == "ja"
    actions.mark_reviewed(view, user.name, theme, done)
    return _done(request, form, name, theme, "Temaet er merket som gjennomgått." if done else "Merket er fjernet.")


@router.post("/r/{name}/tema/{theme}/slaa-sammen")
async def merge(request: Request, name: str, theme: int):
    user, form, view = await _theme_change(request, name, theme)
    try:
        actions.merge(view, user.name, theme, form.get("med"))
    except actions.Invalid as exc:
        raise Refused(400, str(exc)) from None
    target = int(form["med"])
    return back(request, {}, f"/r/{name}/tema/{target}", f"Tema {theme} er slått sammen med tema {target}.")


@router.post("/r/{name}/tema/{theme}/del")
async def split(request: Request, name: str, theme: int):
    user, form, view = await _theme_change(request, name, theme)
    try:
        made = actions.split(view, user.name, theme, form.get("antall"))
    except actions.Invalid as exc:
        raise Refused(400, str(exc)) from None
    return _done(request, form, name, theme, f"Temaet er delt i {len(made)}: tema {', '.join(map(str, made))}.")


@router.post("/r/{name}/tema/{theme}/flytt")
async def move(request: Request, name: str, theme: int):
    user, form, view = await _theme_change(request, name, theme)
    try:
        actions.move(view, user.name, str(form.get("kommentar", "")), form.get("til"))
    except actions.Invalid as exc:
        raise Refused(400, str(exc)) from None
    target = int(form["til"])
    where = "ut av alle temaer" if target == -1 else f"til «{view.theme_label(target)}»"
    return _done(request, form, name, theme, f"Kommentaren er flyttet {where}.")
