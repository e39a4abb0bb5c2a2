"""Signing in and out, the rounds, a round's front page, «Lag dokumentene på nytt» and the decision log."""

from __future__ import annotations

import time

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse

from pipeline import review
from pipeline.outputs import NOTAT, REPORT, WORKBOOK, OutputFolderBusy
from webapp import auth
from webapp.data import load_round
from webapp.main import Refused, back, editing, render, signed_in, the_round

router = APIRouter()
DOCUMENTS = {"regneark": WORKBOOK, "notat": NOTAT, "rapport": REPORT}


@router.get("/logg-inn")
def login_page(request: Request, neste: str = "/"):
    return render(request, "login.html", {"next": _local(neste), "no_users": request.app.state.users.count() == 0})


@router.post("/logg-inn")
async def login(request: Request):
    form = dict(await request.form())
    if not auth.csrf_ok(request.session, form.get("csrf")):
        raise Refused(403, "Skjemaet er utløpt. Last inn siden på nytt og logg inn igjen.")
    user = request.app.state.users.check(str(form.get("brukernavn", "")), str(form.get("passord", "")))
    if user is None:
        context = {"next": _local(form.get("neste")), "error": "Feil brukernavn eller passord.", "no_users": False}
        return render(request, "login.html", context, status=401)
    request.session.clear()
    request.session["user"] = user.name
    return RedirectResponse(_local(form.get("neste")), status_code=303)


@router.post("/logg-ut")
async def logout(request: Request):
    form = dict(await request.form())
    if auth.csrf_ok(request.session, form.get("csrf")):
        request.session.clear()
    return RedirectResponse("/logg-inn", status_code=303)


def _local(path) -> str:
    path = str(path or "/")
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


@router.get("/")
def rounds(request: Request):
    signed_in(request)
    names = list(request.app.state.settings.all_rounds())
    if len(names) == 1:
        return RedirectResponse(f"/r/{names[0]}", status_code=303)
    return render(request, "rounds.html", {"rounds": names})


@router.get("/r/{name}")
def round_page(request: Request, name: str):
    signed_in(request)
    view = the_round(request, name)
    out = view.out_dir
    documents = {k: (out / f).is_file() for k, f in DOCUMENTS.items()}
    changed_since = _changed_since_documents(view)
    return render(
        request,
        "round.html",
        {"view": view, "documents": documents, "changed": changed_since, "unapplied": _unapplied(view)},
    )


def _changed_since_documents(view) -> int:
    """Decisions made after the documents were last written."""
    path = review.store_path(view.out_dir)
    report = view.out_dir / REPORT
    if not path.exists() or not report.exists():
        return 0
    written = pd.Timestamp(report.stat().st_mtime, unit="s", tz="UTC").isoformat()

    def count() -> int:
        with review.open_store(path) as store:
            return store.count_after(written)

    return view.memo(("changed since", written), count)  # the view's decisions are fixed: a new one, a new view


def _unapplied(view) -> pd.DataFrame:
    return view.memo(
        "unapplied",
        lambda: review.unapplied(
            view.decisions, view.comments.reset_index(drop=True), view.responses.reset_index(drop=True)
        ),
    )


@router.post("/r/{name}/dokumenter")
async def regenerate(request: Request, name: str):
    user, form = await editing(request)
    view = the_round(request, name)
    started = time.perf_counter()
    try:
        done = review.make_documents_again(view.out_dir, round_name=name)
    except OutputFolderBusy:
        raise Refused(409, "En kjøring skriver resultatene nå. Vent til den er ferdig, og prøv igjen.") from None
    load_round(name, view.out_dir)
    seconds = time.perf_counter() - started
    extra = f" {len(done.unapplied)} beslutninger gjelder ikke lenger (se loggen)." if len(done.unapplied) else ""
    return back(request, form, f"/r/{name}", f"Dokumentene er laget på nytt på {seconds:.1f} s av {user.name}.{extra}")


@router.post("/r/{name}/laer")
async def learn(request: Request, name: str):
    """Refit the implicit-mention and stance models on the round's review (used from the next run)."""
    _, form = await editing(request)
    view = the_round(request, name)
    from pipeline.review.learning import refit_round

    done = refit_round(view.out_dir)
    used = " Modellene brukes fra neste kjøring." if done.written else ""
    return back(request, form, f"/r/{name}", " ".join(done.notes) + used)


@router.get("/r/{name}/dokument/{kind}")
def document(request: Request, name: str, kind: str):
    signed_in(request)
    view = the_round(request, name)
    if kind not in DOCUMENTS or not (view.out_dir / DOCUMENTS[kind]).is_file():
        raise Refused(404, "Dokumentet finnes ikke ennå.")
    return FileResponse(view.out_dir / DOCUMENTS[kind], filename=DOCUMENTS[kind])


@router.get("/r/{name}/logg")
def decision_log(request: Request, name: str, side: int = 1):
    signed_in(request)
    view = the_round(request, name)
    path = review.store_path(view.out_dir)
    entries = []
    if path.exists():
        with review.open_store(path) as store:
            entries = list(reversed(store.log()))
    from webapp.data import page

    shown, number, pages = page(entries, side, 100)
    return render(
        request,
        "log.html",
        {"view": view, "entries": shown, "page": number, "pages": pages, "unapplied": _unapplied(view)},
    )
