"""The review app in a real browser (Chromium driven by Playwright): a reviewer renames, merges, splits,
moves, marks reviewed, confirms and rejects links, adds a measure, corrects a stance and a sender, makes
the documents again, and a rerun of the flow keeps every decision. Screenshots of the main pages go to
``build/screenshots/`` (the README shows them).
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import uvicorn
from conftest import run_round

from pipeline import config
from webapp.auth import Users
from webapp.main import Settings, create_app

pytestmark = pytest.mark.slow

SHOTS = config.PROJ_ROOT / "build" / "screenshots"
PASSWORD = "et langt passord"
LETTER = """Innspill til handlingsplanen

Jeg bor i sentrum og har fulgt arbeidet med planen gjennom nabolaget.

Jeg støtter tiltak 5S om flere lavterskeltilbud, men savner en plan for hvordan naboene skal bli hørt.

Tiltak 12F om foreldreveiledning bør gjelde alle bydeler, ikke bare dem som søker om midler.

Hvordan skal bydelene følge opp ungdom som faller ut av skolen?

Med vennlig hilsen
Per Hansen
"""


@pytest.fixture(scope="module")
def processed(prefect_harness, tmp_path_factory):
    """The bundled round plus a private person's letter, analysed by the flow."""
    base = tmp_path_factory.mktemp("app")
    round_dir = base / "runde"
    shutil.copytree(config.DEFAULT_ROUND_DIR, round_dir)
    (round_dir / "responses" / "innspill-fra-nabo.txt").write_text(LETTER, encoding="utf-8")
    out = run_round(round_dir, base / "out" / "runde", base / "embeddings")
    return round_dir, out, base


@pytest.fixture(scope="module")
def server(processed):
    round_dir, out, base = processed
    users = Users(base / "brukere.sqlite")
    users.add("kari", PASSWORD, "analyst")
    users.add("ola", PASSWORD, "reader")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings({"runde": out}, users.path))
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is needed for the browser tests (scripts/system-deps.sh installs it)"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


def _sign_in(browser, base: str, name: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    page.goto(f"{base}/r/runde")
    page.fill("#brukernavn", name)
    page.fill("#passord", PASSWORD)
    page.click("button:has-text('Logg inn')")
    page.wait_for_url(re.compile(r"/r/runde$"))
    return page


def _flash(page) -> str:
    return page.locator(".flash, .error").first.inner_text()


def _do(page, button, expected: str) -> None:
    """Click ``button`` (a selector or a locator) and wait for the page's message to say ``expected``."""
    from playwright.sync_api import expect

    (page.locator(button) if isinstance(button, str) else button).click()
    expect(page.locator(".flash, .error").first).to_contain_text(expected)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _theme_links(page) -> list[int]:
    return [
        int(re.search(r"/tema/(-?\d+)$", a.get_attribute("href"))[1]) for a in page.locator("table.themes td a").all()
    ]


def test_a_reviewer_corrects_the_round_in_the_browser_and_a_rerun_keeps_it(processed, server, browser):
    round_dir, out, base = processed
    page = _sign_in(browser, server, "kari")
    _shot(page, "runde")

    # themes: rename the biggest, merge the next into it, split it in two, move a comment out, mark it reviewed
    page.goto(f"{server}/r/runde/temaer")
    _shot(page, "temaer")
    big, other = _theme_links(page)[:2]
    page.goto(f"{server}/r/runde/tema/{other}")
    page.select_option("#med", str(big))
    _do(page, "button:has-text('Slå sammen')", f"Tema {other} er slått sammen med tema {big}")
    page.fill("#navn", "Arbeidsvilkår i tjenestene")
    _do(page, "button:has-text('Lagre navn')", "Navnet er lagret")
    assert "Arbeidsvilkår i tjenestene" in page.locator("h1").inner_text()
    page.fill("#antall", "2")
    _do(page, "button:has-text('Del temaet')", "delt i 2")
    moved = page.locator("ol.comments > li").first.get_attribute("id").removeprefix("k-")
    page.locator(f"#til-{moved}").select_option("-1")
    _do(page, page.locator(f"#k-{moved} button:has-text('Flytt')"), "flyttet ut av alle temaer")
    _do(page, "button:has-text('Merk som gjennomgått')", "gjennomgått")
    _shot(page, "tema")

    # a measure: confirm one link, reject another, correct a stance, add a measure to a comment
    page.goto(f"{server}/r/runde/tiltak/5S")
    _shot(page, "tiltak")
    items = page.locator("ol.comments > li")
    assert items.count() >= 1
    letter_comment = next(i.get_attribute("id") for i in items.all() if "naboene" in i.inner_text())
    _do(page, page.locator(f"#{letter_comment} button:has-text('Bekreft kobling')"), "bekreftet")
    page.locator(f"#{letter_comment} select[name=holdning]").select_option("proposal")
    _do(page, page.locator(f"#{letter_comment} button:has-text('Lagre holdning')"), "Holdningen er lagret")
    page.locator(f"#ny-{letter_comment.removeprefix('k-')}").fill("1s")
    _do(page, page.locator(f"#{letter_comment} button:has-text('Legg til')"), "koblet til 1S")
    page.goto(f"{server}/r/runde/tiltak/12F")
    rejected = page.locator("ol.comments > li").first.get_attribute("id")
    _do(page, page.locator(f"#{rejected} button:has-text('Avvis kobling')"), "avvist")
    assert page.locator(f"#{rejected}").count() == 0

    # the letter's sender: a private person (masked in what is shared)
    page.goto(f"{server}/r/runde/svar/innspill-fra-nabo")
    page.fill("#navn", "Per Hansen")
    page.check("input[name=type][value=person]")
    _do(page, "button:has-text('Lagre avsender')", "Avsenderen er lagret")
    assert page.locator("mark").count() >= 3  # the comments, marked in the cleaned text
    _shot(page, "svar")

    page.goto(f"{server}/r/runde")
    _do(page, "button:has-text('Lag dokumentene på nytt')", "Dokumentene er laget på nytt")
    page.goto(f"{server}/r/runde/logg")
    _shot(page, "logg")
    assert page.locator("table.log tbody tr").count() >= 9

    ids = {"letter": letter_comment.removeprefix("k-"), "rejected": rejected.removeprefix("k-"), "moved": moved}
    _check_tables(out, big, other, ids, "after the documents were made again")
    report = (out / "rapport.html").read_text(encoding="utf-8")
    assert "Arbeidsvilkår i tjenestene" in report and "Per Hansen" not in report
    assert (out / "texts" / "innspill-fra-nabo.original.txt").read_text(encoding="utf-8") == LETTER  # carried over
    assert "Gjennomgått av en analytiker" in report and "Kontrollert av en person: 1 av" in report
    sheet = pd.read_excel(out / "oppsummering.xlsx", sheet_name="Kommentarer")  # ids of private persons are masked
    letter = sheet[sheet["Tekst"].str.contains("naboene skal bli hørt")].iloc[0]
    assert set(letter["Kontrollert av person"].split(", ")) == {"holdning", "tiltak", "avsender"}

    run_round(round_dir, out, base / "embeddings")  # a rerun: every decision holds
    _check_tables(out, big, other, ids, "after a rerun")


def _check_tables(out: Path, big: int, other: int, ids: dict, when: str) -> None:
    comments = pd.read_parquet(out / "comments.parquet").set_index("comment_id")
    mentions = pd.read_parquet(out / "mentions.parquet")
    themes = pd.read_parquet(out / "themes.parquet").set_index("theme_id")
    responses = pd.read_parquet(out / "responses.parquet").set_index("response_id")
    links = set(mentions["comment_id"] + " " + mentions["code"])
    assert themes.at[big, "label"] == "Arbeidsvilkår i tjenestene", when
    assert bool(themes.at[big, "reviewed"]), when
    assert other not in themes.index, when  # merged into the big one
    assert comments.at[ids["moved"], "theme_id"] == -1 and comments.at[ids["moved"], "theme_checked"], when
    assert len(set(comments["theme_id"]) - {-1}) == len(themes), when
    assert comments.at[ids["letter"], "stance"] == "proposal" and comments.at[ids["letter"], "stance_checked"], when
    assert f"{ids['letter']} 1S" in links and f"{ids['rejected']} 12F" not in links, when
    added = mentions[(mentions["comment_id"] == ids["letter"]) & (mentions["code"] == "1S")].iloc[0]
    assert (added["kind"], added["checked"]) == ("person", "added"), when
    assert (responses.at["innspill-fra-nabo", "sender"], responses.at["innspill-fra-nabo", "sender_kind"]) == (
        "Per Hansen",
        "person",
    ), when
    summary = pd.read_parquet(out / "measure_summary.parquet").set_index("code")
    assert summary.at["5S", "n_checked"] >= 1, when


def test_a_reader_sees_the_round_but_no_forms(server, browser):
    page = _sign_in(browser, server, "ola")
    page.goto(f"{server}/r/runde/temaer")
    first = _theme_links(page)[0]
    page.goto(f"{server}/r/runde/tema/{first}")
    assert page.locator("form[action$='/navn']").count() == 0
    assert page.locator("text=Lag dokumentene på nytt").count() == 0
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: 'POST', body: new URLSearchParams({navn: 'x'})})).status""",
        f"{server}/r/runde/tema/{first}/navn",
    )
    assert status == 403


def test_the_second_of_two_people_saving_the_same_theme_is_told_and_nothing_is_overwritten(server, browser):
    first, second = _sign_in(browser, server, "kari"), _sign_in(browser, server, "kari")
    first.goto(f"{server}/r/runde/temaer")
    theme = _theme_links(first)[-1]
    for page in (first, second):
        page.goto(f"{server}/r/runde/tema/{theme}")
    first.fill("#navn", "Navn fra første fane")
    _do(first, "button:has-text('Lagre navn')", "Navnet er lagret")
    second.fill("#navn", "Navn fra andre fane")
    _do(second, "button:has-text('Lagre navn')", "Noen andre har endret")
    second.goto(f"{server}/r/runde/tema/{theme}")
    assert "Navn fra første fane" in second.locator("h1").inner_text()
