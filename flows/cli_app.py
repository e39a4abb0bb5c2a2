"""``horing app``: the review app in a browser, its users, and the documents made again from review.

horing app [ROUND_DIR] [--out DIR] [--host H] [--port P]   serve the review app (default 127.0.0.1:8000)
horing app add-user NAME [--rolle analyst|reader]          add a user, or set a new password and role
horing dokumenter [ROUND_DIR] [--out DIR]                  the workbook, notat and report made again from review
horing laer [ROUND_DIR] [--out DIR]                        refit the implicit-mention and stance models on the review
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated

import typer

from pipeline import config

USERS_FILE = config.DATA_DIR / "brukere.sqlite"
LOCALHOST = ("127.0.0.1", "localhost", "::1")

users_cli = typer.Typer(add_completion=False, rich_markup_mode=None)


def register(app: typer.Typer, fail) -> None:
    """Add ``app`` (with ``add-user``), ``dokumenter`` and ``laer`` to the ``horing`` command."""
    register_learning(app, fail)

    @app.command(
        name="app",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        help="Start gjennomgangsappen i nettleseren (eller: horing app add-user NAVN).",
    )
    def serve(
        ctx: typer.Context,
        round_dir: Annotated[
            str | None, typer.Argument(help="Mappe med plan/ og responses/; standard: alle analyserte runder")
        ] = None,
        out_dir: Annotated[Path | None, typer.Option("--out", help="Resultatmappen til runden")] = None,
        host: Annotated[str, typer.Option("--host", help="Adressen appen lytter på")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Porten appen lytter på")] = 8000,
        users: Annotated[Path, typer.Option("--brukere", help="Brukerfilen")] = USERS_FILE,
    ) -> None:
        if round_dir == "add-user":
            users_cli(args=[*ctx.args, "--brukere", str(users)], prog_name="horing app add-user")
            return
        if ctx.args:
            fail(f"Ukjent argument: {' '.join(ctx.args)}")
        _serve(round_dir, out_dir, host, port, users, fail)

    @app.command(name="dokumenter", help="Lag regneark, notat og rapport på nytt fra tabellene og gjennomgangen.")
    def documents(
        round_dir: Annotated[Path | None, typer.Argument(help="Mappe med plan/ og responses/")] = None,
        out_dir: Annotated[Path | None, typer.Option("--out", help="Resultatmappen til runden")] = None,
    ) -> None:
        from pipeline import review

        paths = config.round_paths(round_dir, out_dir)
        try:
            done = review.make_documents_again(paths.out_dir, round_name=paths.name)
        except (review.NothingToRegenerate, RuntimeError) as exc:
            fail(str(exc))
        typer.echo(f"Laget på nytt i {paths.out_dir}: {len(done.written)} filer")
        for row in done.unapplied.itertuples(index=False):
            typer.echo(f"  Gjelder ikke lenger: {row.kind} {row.target} ({row.who}): {row.reason}")


def register_learning(app: typer.Typer, fail) -> None:
    """Add ``laer`` to the ``horing`` command."""

    @app.command(name="laer", help="Tilpass modellene for implisitte tiltak og holdning til gjennomgangen.")
    def learn(
        round_dir: Annotated[Path | None, typer.Argument(help="Mappe med plan/ og responses/")] = None,
        out_dir: Annotated[Path | None, typer.Option("--out", help="Resultatmappen til runden")] = None,
    ) -> None:
        from pipeline.review.learning import refit_round

        paths = config.round_paths(round_dir, out_dir)
        if not (paths.out_dir / "comments.parquet").is_file():
            fail(f"{paths.out_dir} har ingen resultater ennå: kjør «horing run» først")
        done = refit_round(paths.out_dir)
        for note in done.notes:
            typer.echo(note)
        for path in done.written:
            typer.echo(f"  skrevet: {path} (brukes fra neste kjøring)")


@users_cli.command()
def add_user(
    name: Annotated[str, typer.Argument(help="Brukernavn")],
    role: Annotated[str, typer.Option("--rolle", help="analyst (kan endre) eller reader (kan lese)")] = "analyst",
    users: Annotated[Path, typer.Option("--brukere", help="Brukerfilen")] = USERS_FILE,
) -> None:
    """Legg til en bruker (passordet spørres om, eller leses fra HORING_PASSORD)."""
    from webapp.auth import UserError, Users

    password = os.environ.get("HORING_PASSORD") or getpass.getpass("Passord: ")
    if "HORING_PASSORD" not in os.environ and getpass.getpass("Gjenta passordet: ") != password:
        typer.echo("Feil: passordene er ikke like", err=True)
        raise typer.Exit(2)
    try:
        user = Users(users).add(name, password, role)
    except UserError as exc:
        typer.echo(f"Feil: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Brukeren {user.name} ({user.role}) er lagret i {users}")


def _serve(round_dir: str | None, out_dir: Path | None, host: str, port: int, users: Path, fail) -> None:
    import uvicorn

    from webapp.main import Settings, create_app

    if round_dir or out_dir:
        paths = config.round_paths(round_dir, out_dir)
        rounds = {paths.name: paths.out_dir}
        if not (paths.out_dir / "comments.parquet").is_file():
            fail(f"{paths.out_dir} har ingen resultater ennå: kjør «horing run {round_dir or ''}» først")
    else:
        rounds = None  # every round under data/processed, also those analysed while the app runs
    if host not in LOCALHOST:
        typer.echo(
            f"Advarsel: appen lytter på {host}, ikke bare på denne maskinen. Den bruker ikke TLS: passord og "
            "innhold går ukryptert over nettet. Sett den bak en proxy med HTTPS.",
            err=True,
        )
    settings = Settings(rounds, users, config.PROCESSED_DATA_DIR)
    from webapp.auth import Users

    if Users(users).count() == 0:
        typer.echo("Ingen brukere ennå: lag en med «horing app add-user NAVN --rolle analyst».", err=True)
    typer.echo(f"Gjennomgang: http://{host}:{port}/  ({len(settings.all_rounds())} runder; stopp med Ctrl+C)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
