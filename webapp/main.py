"""The review app: a local web application where analysts and planners correct what the machine found
in a processed round, in Norwegian, server-rendered (Starlette/FastAPI + Jinja2, htmx vendored).

Every change is a decision in the round's review store (:mod:`pipeline.review`); pages show the round
with all decisions applied (:mod:`webapp.data`), and «Lag dokumentene på nytt» writes the workbook,
notat and report from them. Only signed-in users see anything; only analysts change anything; every
form carries a CSRF token and the version of what it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from pipeline.nb.stances import NORWEGIAN as STANCE_WORDS
from pipeline.nb.stances import STANCES
from webapp import auth
from webapp.data import RoundView, load_round

HERE = Path(__file__).parent
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """What an app serves: the rounds (name → output folder; None: every processed round in
    ``processed``, looked up on each request) and the accounts file."""

    rounds: Mapping[str, Path] | None
    users: Path
    processed: Path | None = None

    def all_rounds(self) -> Mapping[str, Path]:
        from webapp.data import rounds_in

        return self.rounds if self.rounds is not None else rounds_in(self.processed)


class Refused(Exception):
    """A request that may not be done: shown as a page with the reason and the status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def create_app(settings: Settings) -> FastAPI:
    """The app for ``settings``."""
    users = auth.Users(settings.users)
    app = FastAPI(title="høring – gjennomgang", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings, app.state.users = settings, users
    app.state.templates = _templates()
    app.add_middleware(
        SessionMiddleware,
        secret_key=users.secret_key(),
        session_cookie="horing_okt",
        same_site="strict",
        https_only=False,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.middleware("http")(_security_headers)
    app.add_exception_handler(Refused, _refused)
    from webapp import pages_measures, pages_rounds, pages_themes

    for module in (pages_rounds, pages_themes, pages_measures):
        app.include_router(module.router)
    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")  # autoescape on for .html
    templates.env.globals.update(stances=STANCES, stance_words=STANCE_WORDS, kinds=SENDER_KINDS)
    templates.env.filters["q"] = lambda value: quote(str(value), safe="")
    return templates


SENDER_KINDS = {"organisation": "organisasjon", "person": "privatperson", "unknown": "ukjent"}


async def _security_headers(request: Request, call_next) -> Response:
    response = await call_next(request)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


async def _refused(request: Request, exc: Refused) -> Response:
    return render(request, "refused.html", {"message": exc.message}, status=exc.status)


# --- helpers the pages share ------------------------------------------------------------------


def user_of(request: Request) -> auth.User | None:
    name = request.session.get("user")
    return request.app.state.users.get(name) if name else None


def signed_in(request: Request) -> auth.User:
    """The signed-in user; else the login page (via :class:`Refused`'s redirect)."""
    user = user_of(request)
    if user is None:
        raise HTTPException(303, headers={"Location": "/logg-inn?neste=" + quote(request.url.path)})
    return user


def the_round(request: Request, name: str) -> RoundView:
    rounds = request.app.state.settings.all_rounds()
    if name not in rounds:
        raise Refused(404, "Finner ikke runden.")
    try:
        return load_round(name, rounds[name])
    except FileNotFoundError:
        raise Refused(404, "Runden har ingen resultater ennå: kjør «horing run» først.") from None


def render(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    session = request.session
    flash = session.pop("flash", None)
    user = user_of(request)
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {"user": user, "csrf": auth.csrf_token(session), "flash": flash, **context},
        status_code=status,
    )


async def editing(request: Request) -> tuple[auth.User, dict]:
    """The form of a change, after the checks every change passes: signed in, an analyst, the
    session's CSRF token."""
    user = signed_in(request)
    form = dict(await request.form())
    if not auth.csrf_ok(request.session, form.get("csrf")):
        raise Refused(403, "Skjemaet er utløpt eller kom ikke fra denne siden (CSRF). Last inn siden på nytt.")
    if not user.may_edit:
        raise Refused(403, "Du har lesetilgang og kan ikke endre noe. Be en analytiker om å gjøre endringen.")
    return user, form


def check_version(form: dict, current: int) -> None:
    """Refuse a change made on a page older than the latest decision about the same thing."""
    try:
        sent = int(form.get("versjon", ""))
    except ValueError:
        sent = -1
    if sent != current:
        raise Refused(
            409,
            "Noen andre har endret dette etter at du åpnet siden, så endringen din er ikke lagret. "
            "Last inn siden på nytt, se hva som er endret, og gjør endringen igjen om den fortsatt trengs.",
        )


def back(request: Request, form: dict, fallback: str, message: str) -> RedirectResponse:
    """Back to the page the form was on (a path of this app only), with ``message`` shown there."""
    target = str(form.get("tilbake") or fallback)
    if not target.startswith("/r/") or "//" in target or "\\" in target:
        target = fallback
    request.session["flash"] = message
    return RedirectResponse(target, status_code=303)
