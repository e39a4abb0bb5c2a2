"""The ``horing`` command: analyse a hearing round, or run one step on one file.

horing run [ROUND_DIR] [--out DIR] [--plan-version NAME]   the whole flow (default: the bundled round)
horing measures PLAN_FILE [--format csv|json]  the plan's measure catalogue
horing repair FILE                          OCR character repair, same lines
horing mentions FILE --plan PLAN_FILE       each comment with the measures it mentions
horing app [ROUND_DIR] · horing app add-user NAME · horing dokumenter   the review app (flows/cli_app.py)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows import cli_app, limit_threads
from pipeline import config

app = typer.Typer(
    help="høring: gjør en runde med høringssvar om til tabeller, regneark og rapport.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
out = Console(soft_wrap=True)  # paths are never broken over lines
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]Feil:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _existing_file(path: Path) -> Path:
    if not path.is_file():
        _fail(f"Fant ikke filen {path}")
    return path


def _prefect_settings(verbose: bool) -> None:
    """Prefect's settings for a ``horing run`` (where the user has not set them): no analytics, the
    flow's step cache (a rerun skips unchanged steps) beside the embedding cache, a quiet console."""
    limit_threads()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(config.INTERIM_DATA_DIR / "prefect"))
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


PR_SET_PDEATHSIG = 1  # Linux prctl: the signal a process gets when its parent dies


def _temporary_server_dies_with_us() -> None:
    """Make the temporary Prefect server that a run without ``PREFECT_API_URL`` starts (a uvicorn
    child process) get SIGTERM when this process dies, even by ``kill -9``: without it the server
    outlives a killed run. The server gets a process group of its own, so a Ctrl-C in the terminal
    stops the run, not the server under it: the run then reports its end to a live server and stops
    it, in seconds (with the server gone first, the report is retried for minutes). Linux only;
    elsewhere (or if Prefect's launcher is not where it was) the server is stopped at a normal exit,
    as before."""
    import ctypes
    import signal
    import subprocess

    try:
        from prefect.server.api.server import SubprocessASGIServer

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl  # noqa: B018 - there is a prctl to call
    except (ImportError, OSError, AttributeError):
        return
    launch = SubprocessASGIServer._run_uvicorn_command
    if getattr(launch, "dies_with_parent", False):
        return
    parent = os.getpid()

    def die_with_parent() -> None:  # runs in the child between fork and exec
        os.setpgrp()  # Ctrl-C in the terminal reaches the run, which stops the server once it has said so
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took hold
            os._exit(1)

    def run_uvicorn(self):  # type: ignore[no-untyped-def]
        real_popen = subprocess.Popen

        def popen(*args, **kwargs):  # type: ignore[no-untyped-def]
            return real_popen(*args, preexec_fn=die_with_parent, **kwargs)

        subprocess.Popen = popen  # type: ignore[misc]
        try:
            return launch(self)
        finally:
            subprocess.Popen = real_popen  # type: ignore[misc]

    run_uvicorn.dies_with_parent = True  # type: ignore[attr-defined]
    SubprocessASGIServer._run_uvicorn_command = run_uvicorn  # type: ignore[method-assign]


@app.command()
def run(
    round_dir: Annotated[
        Path | None, typer.Argument(help="Mappe med plan/ og responses/ (standard: den medfølgende runden)")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Hvor resultatene skrives")] = None,
    plan_version: Annotated[
        str | None, typer.Option("--plan-version", help="Planversjonen (filnavn uten endelse) det analyseres mot")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Vis hele Prefect-loggen")] = False,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Kjør på Dask: 'lokal' (en Dask-klynge på denne maskinen) eller adressen "
            "til en Dask-scheduler, f.eks. tcp://10.0.0.5:8786",
        ),
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Antall Dask-arbeidere med --dask lokal")] = None,
    keep_personal_data: Annotated[
        bool,
        typer.Option(
            "--behold-personopplysninger",
            help="Ikke masker personopplysninger i regneark, rapport og notat (kun til intern bruk)",
        ),
    ] = False,
) -> None:
    """Analyser en hel høringsrunde og skriv tabeller, regneark, høringsnotat og rapport."""
    paths = config.round_paths(round_dir, out_dir)
    for needed in (paths.plan_dir, paths.responses_dir):
        if not needed.is_dir():
            _fail(f"{paths.round_dir} er ikke en høringsrunde: mangler mappen {needed.name}/")
    _prefect_settings(verbose)
    from flows import progress as flow_progress
    from flows.hearing_round import with_task_runner

    _temporary_server_dies_with_us()

    hearing_round = with_task_runner(dask, workers)

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with progress:
        bar = progress.add_task("Starter Prefect …", total=flow_progress.STEPS)

        def follow(event: flow_progress.Progress) -> None:
            progress.update(bar, completed=event.step - 1, description=event.detail or event.text)

        with flow_progress.listening(follow):
            try:
                result = Path(hearing_round(str(paths.round_dir), str(paths.out_dir), plan_version, keep_personal_data))
            except Exception as exc:  # noqa: BLE001 - show the reason, not a traceback
                _fail(f"Analysen stoppet: {exc}", code=1)
    _print_result(result)


def _print_result(result: Path) -> None:
    import pandas as pd

    from pipeline.outputs import round_counts

    tables = {
        name: pd.read_parquet(result / f"{name}.parquet")
        for name in ("responses", "comments", "measure_summary", "themes")
    }
    counts = round_counts(tables)
    table = Table(title="Høringsrunden er analysert", show_header=False)
    table.add_row("Svar lest", f"{counts.read} av {counts.received}")
    if counts.duplicates:
        table.add_row("Kopier av andre svar", str(counts.duplicates))
    table.add_row("Kommentarer", str(counts.comments))
    table.add_row("Tiltak med kommentarer", f"{counts.measures_commented} av {counts.measures}")
    table.add_row("Temaer", str(counts.themes))
    out.print(table)
    responses = tables["responses"]
    for row in responses[responses["status"] == "error"].itertuples():
        err.print(f"[yellow]Kunne ikke lese[/] {row.source_file}: {row.error}", highlight=False)
    unapplied = result / "unapplied.parquet"
    for row in (pd.read_parquet(unapplied) if unapplied.is_file() else pd.DataFrame()).itertuples():
        err.print(f"[yellow]Gjennomgang gjelder ikke lenger[/] {row.kind} {row.target} ({row.who}): {row.reason}")
    out.print(f"Resultatene ligger i [bold]{result}[/]:", highlight=False)
    for name in ("oppsummering.xlsx", "hoeringsnotat.docx", "rapport.html", "manifest.json"):
        out.print(f"  {result / name}", highlight=False)
    out.print(f"  {result}/*.parquet (tabellene, se README)", highlight=False)


@app.command()
def measures(
    plan_file: Annotated[Path, typer.Argument(help="Plandokumentet (.txt, .pdf, .docx)")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv eller json")] = "csv",
) -> None:
    """Skriv ut tiltakskatalogen som planen inneholder."""
    from pipeline.measures.catalogue import PlanError, read_plan
    from pipeline.tables import to_frame

    if fmt not in ("csv", "json"):
        _fail(f"Ukjent format {fmt!r}: bruk csv eller json")
    try:
        frame = to_frame(read_plan(_existing_file(plan_file)), "measures")
    except PlanError as exc:
        _fail(str(exc))
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        json.dump(frame.to_dict(orient="records"), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")


def _read(path: Path) -> str:
    from pipeline.ingest.folder import IngestError, extract_text

    try:
        return extract_text(_existing_file(path))
    except IngestError as exc:
        _fail(f"{path}: {exc}")
    raise AssertionError  # unreachable: _fail exits


@app.command()
def repair(file: Annotated[Path, typer.Argument(help="Fil med OCR-skadet tekst")]) -> None:
    """Rett feilleste tegn (gkt → økt, pa → på, | → I); linjene blir stående som de er."""
    from pipeline.ocr.repair import repair_text

    repaired = repair_text(_read(file))
    sys.stdout.write(repaired.text)
    err.print(f"{len(repaired.corrections)} rettinger i {file}", highlight=False)


@app.command()
def mentions(
    file: Annotated[Path, typer.Argument(help="Et høringssvar")],
    plan: Annotated[Path, typer.Option("--plan", help="Plandokumentet med tiltakene")],
) -> None:
    """Vis hver kommentar i et svar med tiltakene den nevner: med kode, uten kode (utledet) og mulig feil kode."""
    from pipeline.comments import fallback_sender, segment_response
    from pipeline.measures import PlanError, embed_round, link, read_plan
    from pipeline.ocr import clean_text
    from pipeline.tables import to_frame

    try:
        catalogue = to_frame(read_plan(_existing_file(plan)), "measures")
    except PlanError as exc:
        _fail(str(exc))
    sender, found = segment_response("svar", clean_text(_read(file)).text, fallback_sender=fallback_sender(file.name))
    comments = to_frame([{**c.__dict__, "theme_id": -1} for c in found], "comments")
    with err.status("Sammenligner kommentarene med tiltakene …"):
        vectors = embed_round(comments, catalogue)
    linked = link(comments, catalogue, vectors.comments, vectors.measures, vectors.parts).mentions
    out.print(f"Avsender: {sender}", highlight=False, markup=False)
    for comment in comments.itertuples():
        rows = linked[linked["comment_id"] == comment.comment_id]
        labels = []
        for row in rows.itertuples():
            if row.kind == "explicit":
                label = row.code if row.valid else f"{row.code} (finnes ikke i planen)"
                labels.append(f"{label} → trolig {row.likely}" if row.likely else label)
            else:
                labels.append(f"~{row.code} ({row.score:.2f}: {row.evidence})")
        excerpt = comment.text if len(comment.text) <= 100 else comment.text[:97] + "…"
        out.print(f"{comment.position:>3}  [{'; '.join(labels) or '–'}]  {excerpt}", highlight=False, markup=False)
    out.print("~ = uten kode i teksten (utledet av innholdet), med sannsynlighet og det som pekte dit", highlight=False)


cli_app.register(app, _fail)

if __name__ == "__main__":
    app()
