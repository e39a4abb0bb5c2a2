"""The HTML report as a user sees it: rendered by headless Chromium, read back as printed text and DOM.

The report of a small fixture round is printed to PDF (its visible text, extracted with pypdf) and
dumped as the DOM Chromium builds from it. The tests check what a reader sees: the title, the
overview figures, the stance-split bars, the responses × measures heat map, the themes, untrusted
text shown literally, and measures nobody commented on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from rows import correction_row

from pipeline.outputs.report import write_report
from pipeline.tables import to_frame

pytestmark = pytest.mark.slow  # a whole corpus sweep / a real browser


ROUND = "Rusmiddelpolitisk handlingsplan 2026"
SCRIPT_TEXT = "Vi ber om tiltak 7S. <script>alert(1)</script>"
CHROMIUM_TIMEOUT_S = 30  # a render takes ~2 s; a script dialog (alert) would block it
STANCES = ("support", "critique", "proposal", "question", "neutral")
STANCE_LABELS = {
    "support": "Støtte",
    "critique": "Kritikk",
    "proposal": "Forslag",
    "question": "Spørsmål",
    "neutral": "Nøytral",
}
STANCE_WORDS = {
    "support": "støtte",
    "critique": "kritikk",
    "proposal": "forslag",
    "question": "spørsmål",
    "neutral": "nøytral",
}

ALNA, KORS, RIO = "Bydel Alna", "Kirkens Bymisjon", "Rusfeltets hovedorganisasjon"
RESPONSES = [
    # response_id, sender, format, status, error
    ("bydel-alna", ALNA, "txt", "ok", ""),
    ("kirkens-bymisjon", KORS, "pdf", "ok", ""),
    ("rio", RIO, "docx", "ok", ""),
    ("skannet-brev", "skannet-brev", "pdf", "error", "PDF-en er kryptert"),
]
COMMENTS = [
    # comment_id, text, theme, stance
    ("bydel-alna-1", "Vi støtter tiltak 3F om tidlig innsats i skolen.", 0, "support"),
    ("bydel-alna-2", "Hvordan skal 3F finansieres i bydelene?", 0, "question"),
    ("bydel-alna-3", "Tiltak 13F om foreldreveiledning bør gjelde alle foreldre.", 0, "proposal"),
    ("bydel-alna-4", "Bydelen takker for muligheten til å svare.", -1, "neutral"),
    ("kirkens-bymisjon-1", "Lavterskeltilbudet i 7S har fått for lite midler.", 1, "critique"),
    ("kirkens-bymisjon-2", SCRIPT_TEXT, 1, "support"),
    ("kirkens-bymisjon-3", "Brukerne må involveres i 3F og 7S.", 1, "proposal"),
    ("kirkens-bymisjon-4", "Sprøyterommet bør ha lengre åpningstider.", 1, "proposal"),
    ("rio-1", "Vi er kritiske til at 7S ikke nevner brukerstyrte tiltak.", 1, "critique"),
    ("rio-2", "Tiltak 25F finnes ikke, men vi støtter tanken.", -1, "support"),
]
MENTIONS = [
    # comment_id, code, kind, valid, likely
    ("bydel-alna-1", "3F", "explicit", True, ""),
    ("bydel-alna-2", "3F", "explicit", True, ""),
    ("bydel-alna-3", "13F", "explicit", True, "12F"),  # draft numbering: counts for 12F
    ("kirkens-bymisjon-1", "7S", "explicit", True, ""),
    ("kirkens-bymisjon-2", "7S", "explicit", True, ""),
    ("kirkens-bymisjon-3", "3F", "explicit", True, ""),
    ("kirkens-bymisjon-3", "7S", "explicit", True, ""),
    ("kirkens-bymisjon-3", "7S", "implicit", True, ""),  # the same comment twice counts once
    ("kirkens-bymisjon-4", "7S", "implicit", True, ""),
    ("rio-1", "7S", "explicit", True, ""),
    ("rio-2", "25F", "explicit", False, ""),
]
# code, text, the comments counted for it (as pipeline.summaries.per_measure counts them)
MEASURES = [
    ("1F", "Styrke foreldrestøtte i bydelene.", []),
    ("3F", "Tidlig innsats i skolen.", ["bydel-alna-1", "bydel-alna-2", "kirkens-bymisjon-3"]),
    ("12F", "Foreldreveiledning for alle foreldre.", ["bydel-alna-3"]),
    ("1S", "Utvide sprøyterom og lavterskeltilbud.", []),
    (
        "7S",
        "Økte midler til lavterskeltilbud.",
        ["kirkens-bymisjon-1", "kirkens-bymisjon-2", "kirkens-bymisjon-3", "kirkens-bymisjon-4", "rio-1"],
    ),
]
THEMES = [
    # theme_id, label
    (0, "skole, tidlig innsats"),
    (1, "lavterskel, midler"),
]
# What a reader should see in the heat map: sender -> code -> comments (blank cells are 0).
HEAT = {ALNA: {"3F": 2, "12F": 1}, KORS: {"3F": 1, "7S": 4}, RIO: {"7S": 1}}


def _stance_of(cid: str) -> str:
    return next(s for c, _, _, s in COMMENTS if c == cid)


def _stance_counts(ids: list[str]) -> dict[str, int]:
    counts = Counter(_stance_of(c) for c in ids)
    return {f"n_{s}": counts[s] for s in STANCES}


def _tables() -> dict[str, pd.DataFrame]:
    sender = {rid: s for rid, s, *_ in RESPONSES}
    source = {rid: f"{rid}.{fmt}" for rid, _, fmt, *_ in RESPONSES}
    text = {cid: t for cid, t, _, _ in COMMENTS}
    rid_of = {cid: cid.rsplit("-", 1)[0] for cid, *_ in COMMENTS}
    responses = to_frame(
        [
            {
                "response_id": rid,
                "source_file": f"{rid}.{fmt}",
                "sha256": "0" * 64,
                "sender": s,
                "format": fmt,
                "status": status,
                "error": error,
                "n_comments": sum(r == rid for r in rid_of.values()),
                "encoding": "utf-8" if fmt == "txt" else "",
                "pages": 2 if fmt == "pdf" else None,
                "n_corrections": 0,
                "extraction": "" if error else fmt,
                "campaign_id": "",
            }
            for rid, s, fmt, status, error in RESPONSES
        ],
        "responses",
    )
    comments = to_frame(
        [
            {
                "comment_id": cid,
                "response_id": rid_of[cid],
                "sender": sender[rid_of[cid]],
                "section": "",
                "text": t,
                "theme_id": theme,
                "kind": "paragraph",
                "position": int(cid.rsplit("-", 1)[1]),
                "char_start": 0,
                "char_end": len(t),
                "lead_in": "",
                "stance": stance,
                "stance_confidence": 0.8,
                "paragraph": int(cid.rsplit("-", 1)[1]) + 1,
            }
            for cid, t, theme, stance in COMMENTS
        ],
        "comments",
    )
    mentions = to_frame(
        [
            {
                "comment_id": cid,
                "code": code,
                "kind": kind,
                "valid": valid,
                "score": 1.0 if kind == "explicit" else 0.7,
                "evidence": code,
                "likely": likely,
                "drift_score": 0.4 if likely else 0.0,
            }
            for cid, code, kind, valid, likely in MENTIONS
        ],
        "mentions",
    )
    themes = to_frame(
        [
            {
                "theme_id": tid,
                "label": label,
                "keywords": label,
                "size": len(ids),
                "n_responses": len({rid_of[c] for c in ids}),
                "representative": ids[0],
                "phrases": "",
                "representatives": ", ".join(ids[:2]),
                "n_voices": len({rid_of[c] for c in ids}),
                "n_signers": len({rid_of[c] for c in ids}),
                "senders": ", ".join(sorted({sender[rid_of[c]] for c in ids})),
                "response_ids": ", ".join(sorted({rid_of[c] for c in ids})),
                "campaigns": "",
                "measures": "",
                **_stance_counts(ids),
            }
            for tid, label in THEMES
            for ids in [[cid for cid, _, theme, _ in COMMENTS if theme == tid]]
        ],
        "themes",
    )
    summary = []
    for code, measure_text, ids in MEASURES:
        senders = list(dict.fromkeys(sender[rid_of[c]] for c in ids))
        quotes = [f"«{text[c]}» ({sender[rid_of[c]]}, {c})" for c in ids[:3]]
        summary.append(
            {
                "code": code,
                "area": code[-1],
                "text": measure_text,
                "n_comments": len(ids),
                "n_responses": len({rid_of[c] for c in ids}),
                "senders": ", ".join(senders),
                "quotes": "\n".join(quotes),
                "comment_ids": ", ".join(ids),
                **_stance_counts(ids),
                "summary": f"{len(ids)} kommentarer om {code}." if ids else "",
                "key_points": "\n".join(quotes[:2]),
                "sources": "\n".join(f"{source[rid_of[c]]}, avsnitt {int(c.rsplit('-', 1)[1]) + 1}" for c in ids[:3]),
            }
        )
    measure_summary = to_frame(summary, "measure_summary")
    corrections = to_frame([correction_row("kirkens-bymisjon", 9, "rnidler", "midler", "rn-m", 0.55)], "corrections")
    return dict(
        responses=responses,
        comments=comments,
        mentions=mentions,
        themes=themes,
        measure_summary=measure_summary,
        corrections=corrections,
    )


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium; scripts/system-deps.sh installs it)")


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
        *args,
    ]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not finish in {CHROMIUM_TIMEOUT_S} s: does the report run a script (an alert)?")


class _Dom(HTMLParser):
    """Every element's tag and attributes, and the heat map as rows of cells: (text, style)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.heat: list[list[tuple[str, str]]] = []
        self._in_heat = False
        self._cell: list[str] | None = None
        self._style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "table" and "heat" in attributes.get("class", "").split():
            self._in_heat = True
        elif self._in_heat and tag == "tr":
            self.heat.append([])
        elif self._in_heat and tag in ("th", "td"):
            self._cell, self._style = [], attributes.get("style", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_heat = False
        elif self._in_heat and tag in ("th", "td") and self._cell is not None:
            self.heat[-1].append(("".join(self._cell).strip(), self._style))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict:
    binary = _chromium()
    folder = tmp_path_factory.mktemp("rapport")
    report = write_report(folder / "rapport.html", round_name=ROUND, **_tables())
    url = report.resolve().as_uri()
    pdf = folder / "rapport.pdf"
    printed = _run_chromium(binary, folder / "profile-pdf", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    assert pdf.exists() and pdf.stat().st_size > 0, printed.stderr[-2000:]
    dumped = _run_chromium(binary, folder / "profile-dom", "--dump-dom", url)
    assert dumped.returncode == 0 and "<html" in dumped.stdout, dumped.stderr[-2000:]
    reader = pypdf.PdfReader(pdf)
    # NFKC: the PDF's ligatures (ﬁ) and no-break spaces become plain letters and spaces
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))
    dom = _Dom()
    dom.feed(dumped.stdout)
    return {
        "text": text,
        "flat": " ".join(text.split()),
        "lines": [" ".join(line.split()) for line in text.splitlines()],
        "title": (reader.metadata or {}).get("/Title", ""),
        "dom": dom,
        "html": dumped.stdout,
    }


def _section(rendered: dict, heading: str, next_heading: str | None = None) -> str:
    """A section's visible text: from its heading (not the contents list's) to the next heading."""
    body = rendered["flat"].split("Til kontroll", 1)[1]  # the contents list ends with this entry
    after = body.split(heading, 1)[1]
    return after.split(next_heading, 1)[0] if next_heading else after


def test_title_is_the_round(rendered):
    assert rendered["title"] == f"Høringsrunde: {ROUND}"
    assert rendered["flat"].startswith(f"Høringsrunde: {ROUND}")


def test_overview_figures_equal_the_tables_counts(rendered):
    tables = _tables()
    responses, comments = tables["responses"], tables["comments"]
    commented = [code for code, _, ids in MEASURES if ids]
    counted = {c for _, _, ids in MEASURES for c in ids}
    overview = _section(rendered, "Oversikt", "Holdning i kommentarene")
    expected = [
        (len(responses), "Filer mottatt"),
        ((responses["status"] == "ok").sum(), "Filer lest"),
        ((responses["status"] == "error").sum(), "Filer med lesefeil"),
        (len(comments), "Kommentarer"),
        (len(counted), "Kommentarer som nevner et tiltak"),
        (f"{len(commented)} av {len(tables['measure_summary'])}", "Tiltak med kommentarer"),
        (len(tables["themes"]), "Temaer"),
    ]
    assert overview.strip() == " ".join(f"{n} {label}" for n, label in expected)
    stances = _section(rendered, "Holdning i kommentarene", "Kommentarer per tiltak")
    totals = comments["stance"].value_counts()
    assert stances.strip() == " ".join(f"{totals.get(s, 0)} {STANCE_LABELS[s]}" for s in STANCES)


def test_bars_show_commented_measures_split_by_stance(rendered):
    chart = _section(rendered, "Kommentarer per tiltak", "Svar × tiltak")
    summary = _tables()["measure_summary"].set_index("code")
    lines = [line for line in rendered["lines"] if line.split(" ", 1)[0] in summary.index]
    for code, _, ids in MEASURES:
        row = summary.loc[code]
        visible = [str(row[f"n_{s}"]) for s in STANCES if row[f"n_{s}"]]
        bar = " ".join([code, *visible, str(len(ids))])
        if ids:
            assert bar in lines and bar in chart, code
        else:
            assert f" {code} " not in f" {chart} ", code  # no bar
    # Every segment names its measure, count and stance; its width is its share of the bar.
    segments = {a["aria-label"]: a for tag, a in rendered["dom"].tags if "seg" in a.get("class", "").split()}
    expected = {
        f"{code}: {summary.loc[code, f'n_{s}']} {STANCE_WORDS[s]}": 100 * summary.loc[code, f"n_{s}"] / len(ids)
        for code, _, ids in MEASURES
        if ids
        for s in STANCES
        if summary.loc[code, f"n_{s}"]
    }
    assert set(segments) == set(expected)
    for label, share in expected.items():
        assert segments[label]["title"] == label
        assert segments[label]["style"] == f"width: {share:.1f}%"
    assert "Støtte Kritikk Forslag Spørsmål Nøytral" in chart  # the legend


def test_heat_map_counts_each_responses_comments_per_measure(rendered):
    codes = [code for code, _, ids in MEASURES if ids]
    grid = rendered["dom"].heat
    assert [text for text, _ in grid[0]] == ["Avsender", *codes]
    shown = {row[0][0]: dict(zip(codes, row[1:])) for row in grid[1:]}
    assert list(shown) == list(HEAT)  # responses in the order received; none without measure comments
    peak = max(n for counts in HEAT.values() for n in counts.values())
    for sender, counts in HEAT.items():
        for code in codes:
            text, style = shown[sender][code]
            n = counts.get(code, 0)
            if n:
                alpha = float(re.search(r"rgba\([^)]*,\s*([\d.]+)\)", style).group(1))
                assert text == str(n) and alpha == pytest.approx(max(0.85 * n / peak, 0.1), abs=0.01)
            else:
                assert text == "" and style == ""
        visible = " ".join([sender, *(str(counts[c]) for c in codes if c in counts)])
        assert visible in rendered["lines"]
    # The same numbers straight from the tables: distinct comments per response and measure,
    # a drifted code counted for its likely measure.
    tables = _tables()
    m = tables["mentions"]
    m = m.assign(code=m["likely"].where(m["likely"] != "", m["code"]))
    m = m[m["code"].isin(codes)].drop_duplicates(["comment_id", "code"])
    m = m.merge(tables["comments"][["comment_id", "sender"]], on="comment_id")
    assert m.groupby(["sender", "code"]).size().to_dict() == {
        (s, c): n for s, counts in HEAT.items() for c, n in counts.items()
    }


def test_measure_sections_show_summary_stances_key_points_and_sourced_quotes(rendered):
    summary = _tables()["measure_summary"].set_index("code")
    flat = rendered["flat"]
    for code, _, ids in MEASURES:
        if not ids:
            continue
        row = summary.loc[code]
        section = _section(rendered, f"{row['text']} {len(ids)} kommentar", "Hovedpunkter")
        assert " ".join(f"{STANCE_LABELS[s]}: {row[f'n_{s}']}" for s in STANCES) in section
        assert row["summary"] in section
        for point in row["key_points"].split("\n"):
            assert point in flat
        for quote, source in zip(row["quotes"].split("\n"), row["sources"].split("\n"), strict=True):
            assert f"{quote} Kilde: {source}" in flat


def test_themes_show_labels_and_stances(rendered):
    themes = _section(rendered, "Temaer", "Ugyldige tiltakskoder")
    for row in _tables()["themes"].itertuples():
        stances = " ".join(f"{STANCE_LABELS[s]}: {getattr(row, f'n_{s}')}" for s in STANCES)
        assert f"Tema {row.theme_id}: {row.label}" in themes
        assert stances in themes.split(f"Tema {row.theme_id}: {row.label}", 1)[1]


def test_untrusted_text_is_shown_literally_never_run(rendered):
    assert f"«{SCRIPT_TEXT}»" in rendered["flat"]
    tags = {tag for tag, _ in rendered["dom"].tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not any(name.startswith("on") for _, attrs in rendered["dom"].tags for name in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered["html"]


def test_measures_without_comments_say_so(rendered):
    flat = rendered["flat"]
    for code, text, ids in MEASURES:
        if not ids:
            assert f"{code} {text} 0 0 Ingen kommentarer" in flat
            assert not any(a.get("id") == f"tiltak-{code}" for _, a in rendered["dom"].tags)


def test_checks_for_the_secretariat_are_visible(rendered):
    checks = _section(rendered, "Ugyldige tiltakskoder")
    assert "25F Rusfeltets hovedorganisasjon" in checks
    assert "13F 12F" in checks
    assert "skannet-brev.pdf skannet-brev PDF-en er kryptert" in checks
    assert "rnidler → midler" in checks
