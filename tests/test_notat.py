"""The draft høringsnotat (Word): sections, counts, verbatim quotes, and safety with untrusted text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.shared import Pt
from rows import comment_row, mention_row, response_row, stance_counts

from pipeline.outputs.notat import DRAFT_LINE, write_notat
from pipeline.tables import to_frame

ROUND = "Rusmiddelpolitisk handlingsplan"
FORMULA_TEXT = "=SUM(A1) bør ikke regnes ut"
SCRIPT_TEXT = "Vi ber om tiltak 7S. <script>alert(1)</script> <img src=x onerror=alert(1)>"
LINK_TEXT = 'Se https://example.org/plan og {HYPERLINK "http://x"} for mer.'
DIRTY_TEXT = "Skadet\x00 tekst\x0b fra\x1f OCR\ufffe."
QUOTE_RE = re.compile(r"^«(.*)» \((.*)\)$", re.DOTALL)
STANCE_RE = re.compile(r"^Støtte: (\d+) · Kritikk: (\d+) · Forslag: (\d+) · Spørsmål: (\d+) · Nøytral: (\d+)$")
STANCE_COLUMNS = ["n_support", "n_critique", "n_proposal", "n_question", "n_neutral"]
TABLES = ("responses", "comments", "mentions", "themes", "measure_summary")


_comment, _mention = comment_row, mention_row


def _response(rid: str, file: str, sender: str, status: str = "ok", error: str = "", n: int = 0) -> dict:
    return response_row(rid, file, sender, None, status, error, n)


def _stances(counts: tuple[int, int, int, int, int]) -> dict:
    return stance_counts(*counts)


def _measure(
    code: str,
    text: str,
    ids: list[str],
    quotes: str = "",
    sources: str = "",
    key_points: str = "",
    summary: str = "",
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0),
) -> dict:
    return {
        "code": code,
        "area": code[-1],
        "text": text,
        "n_comments": len(ids),
        "n_responses": len({i.rsplit("-", 1)[0] for i in ids}),
        "senders": "",
        "quotes": quotes,
        "comment_ids": ", ".join(ids),
        "summary": summary,
        "key_points": key_points,
        "sources": sources,
        **_stances(counts),
    }


def _theme(
    theme_id: int, label: str, reps: str, senders: str, size: int, counts: tuple[int, int, int, int, int]
) -> dict:
    return {
        "theme_id": theme_id,
        "label": label,
        "keywords": label,
        "size": size,
        "n_responses": 1,
        "representative": reps.split(",")[0],
        "phrases": "",
        "representatives": reps,
        "n_voices": 1,
        "n_signers": 1,
        "senders": senders,
        "response_ids": "",
        "campaigns": "",
        "measures": "",
        **_stances(counts),
    }


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    alna, kors = "Bydel Alna", "Kirkens Bymisjon"
    responses = to_frame(
        [
            _response("bydel-alna", "bydel-alna.txt", alna, n=4),
            _response("kirkens-bymisjon", "kirkens-bymisjon.pdf", kors, n=3),
            _response("skannet-brev", "skannet-brev.pdf", "skannet-brev", "error", "PDF-en er kryptert"),
        ],
        "responses",
    )
    comments = to_frame(
        [
            _comment(
                "bydel-alna-1", alna, "Vi støtter tiltak 3F om tidlig innsats i skolen. Det er viktig.", 0, "support"
            ),
            _comment("bydel-alna-2", alna, FORMULA_TEXT, -1),
            _comment("bydel-alna-3", alna, LINK_TEXT, 0),
            _comment("bydel-alna-4", alna, DIRTY_TEXT, -1),
            _comment("kirkens-bymisjon-1", kors, "Lavterskeltilbudet i 7S må få økte midler.", 1, "proposal"),
            _comment("kirkens-bymisjon-2", kors, SCRIPT_TEXT, 1, "question"),
            _comment("kirkens-bymisjon-3", kors, "Brukerne må involveres.\nSærlig i 3F og 7S.", 1, "critique"),
        ],
        "comments",
    )
    mentions = to_frame(
        [
            _mention("bydel-alna-1", "3F"),
            _mention("kirkens-bymisjon-1", "7S"),
            _mention("kirkens-bymisjon-2", "7S"),
            _mention("kirkens-bymisjon-3", "3F"),
            _mention("kirkens-bymisjon-3", "7S"),
        ],
        "mentions",
    )
    themes = to_frame(
        [
            _theme(0, "skole, innsats", "bydel-alna-1, bydel-alna-3", alna, 2, (1, 0, 0, 0, 1)),
            _theme(
                1, "lavterskel, midler", "kirkens-bymisjon-1,kirkens-bymisjon-2, ukjent-9", kors, 3, (0, 1, 1, 1, 0)
            ),
        ],
        "themes",
    )
    measure_summary = to_frame(
        [
            _measure("1F", "Styrke foreldrestøtte i bydelene.\n- Foreldreveiledning", []),
            _measure(
                "3F",
                "Tidlig innsats i skolen.",
                ["bydel-alna-1", "kirkens-bymisjon-3"],
                quotes="«Vi støtter tiltak 3F om tidlig innsats i skolen.» (Bydel Alna, bydel-alna-1)\n"
                "«Særlig i 3F og 7S.» (Kirkens Bymisjon, kirkens-bymisjon-3)",
                sources="bydel-alna.txt, avsnitt 1\nkirkens-bymisjon.pdf, avsnitt 3",
                key_points="«Det er viktig.» (Bydel Alna, bydel-alna-1)\n«Brukerne må involveres.» "
                "(Kirkens Bymisjon, kirkens-bymisjon-3)",
                summary="To høringsinstanser kommenterer tiltaket; én støtter og én kritiserer.",
                counts=(1, 1, 0, 0, 0),
            ),
            _measure("1S", "Utvide sprøyterom og lavterskeltilbud. " * 10, []),
            _measure(
                "7S",
                "Økte midler til lavterskeltilbud.",
                ["kirkens-bymisjon-1", "kirkens-bymisjon-2", "kirkens-bymisjon-3"],
                quotes="«Lavterskeltilbudet i 7S må få økte midler.» (Kirkens Bymisjon, kirkens-bymisjon-1)\n"
                f"«{SCRIPT_TEXT}» (Kirkens Bymisjon, kirkens-bymisjon-2)",
                sources="kirkens-bymisjon.pdf, avsnitt 1\nkirkens-bymisjon.pdf, avsnitt 2",
                summary="Kirkens Bymisjon skriver tre kommentarer.",
                counts=(0, 1, 1, 1, 0),
            ),
        ],
        "measure_summary",
    )
    return dict(
        responses=responses, comments=comments, mentions=mentions, themes=themes, measure_summary=measure_summary
    )


@pytest.fixture
def notat(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    path = write_notat(tmp_path / "hoeringsnotat.docx", ROUND, **tables)
    assert path == tmp_path / "hoeringsnotat.docx"
    assert path.exists() and not list(tmp_path.glob(".*.tmp"))
    return path


@pytest.fixture
def document(notat: Path):
    return docx.Document(str(notat))


def _sections(document) -> dict[str, list]:
    """Body paragraphs after each Heading 1, keyed by the heading's text."""
    sections: dict[str, list] = {}
    current = None
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            current = sections.setdefault(p.text, [])
        elif current is not None:
            current.append(p)
    return sections


def _subsections(paragraphs: list) -> dict[str, list]:
    """Paragraphs after each Heading 2 within a section."""
    parts: dict[str, list] = {}
    current = None
    for p in paragraphs:
        if p.style.name == "Heading 2":
            current = parts.setdefault(p.text, [])
        elif current is not None:
            current.append(p)
    return parts


def _stance(paragraphs: list) -> tuple[int, ...]:
    lines = [m for p in paragraphs if (m := STANCE_RE.match(p.text))]
    assert len(lines) == 1
    return tuple(int(n) for n in lines[0].groups())


def test_title_and_draft_line(document):
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == f"Høringsnotat: {ROUND}"
    assert document.paragraphs[1].text == DRAFT_LINE
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Innledning",
        "Høringsinstanser",
        "Tiltak",
        "Temaer",
        "Vedlegg: kommentarer som ikke nevner noe tiltak",
    ]


def test_introduction_counts_match_tables(document, tables):
    text = " ".join(p.text for p in _sections(document)["Innledning"])
    responses, comments = tables["responses"], tables["comments"]
    summary = tables["measure_summary"]
    unmentioned = set(comments["comment_id"]) - set(tables["mentions"]["comment_id"])
    assert f"Det kom inn {len(responses)} filer" in text
    n_ok, n_error = (responses["status"] == "ok").sum(), (responses["status"] == "error").sum()
    assert f"{n_ok} ble lest, og {n_error} kunne ikke leses" in text
    assert f"{len(comments)} kommentarer" in text
    assert f"{(summary['n_comments'] > 0).sum()} av {len(summary)} tiltak" in text
    assert f"{len(unmentioned)} kommentarer nevner ikke noe tiltak" in text
    assert (len(responses), len(comments), len(unmentioned)) == (3, 7, 3)


def test_senders_table_and_unreadable_files(document, tables):
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    ok = tables["responses"][tables["responses"]["status"] == "ok"]
    assert rows[0] == ["Avsender", "Fil", "Antall kommentarer"]
    assert rows[1:] == [[s, f, str(n)] for s, f, n in zip(ok["sender"], ok["source_file"], ok["n_comments"])]
    section = " ".join(p.text for p in _sections(document)["Høringsinstanser"])
    assert "skannet-brev.pdf: PDF-en er kryptert" in section


def test_one_heading_per_commented_measure_in_order(document, tables):
    summary = tables["measure_summary"]
    parts = _subsections(_sections(document)["Tiltak"])
    headings = list(parts)
    assert headings[-1] == "Tiltak uten kommentarer"
    commented = summary[summary["n_comments"] > 0]
    assert [h.split(" ", 1)[0] for h in headings[:-1]] == list(commented["code"])
    assert headings[0] == "3F Tidlig innsats i skolen."
    silent = [p.text for p in parts["Tiltak uten kommentarer"]]
    assert [t.split(" ", 1)[0] for t in silent] == list(summary.loc[summary["n_comments"] == 0, "code"])
    assert silent[0] == "1F Styrke foreldrestøtte i bydelene. - Foreldreveiledning"
    long = silent[1]
    assert long.startswith("1S Utvide sprøyterom") and long.endswith(" …") and len(long) <= len("1S ") + 80 + 2
    assert all(p.style.name == "List Bullet" for p in parts["Tiltak uten kommentarer"])


def test_measure_sections_hold_summary_stances_points_quotes_and_sources(document, tables):
    parts = _subsections(_sections(document)["Tiltak"])
    for _, row in tables["measure_summary"][tables["measure_summary"]["n_comments"] > 0].iterrows():
        body = next(v for k, v in parts.items() if k.split(" ", 1)[0] == row["code"])
        texts = [p.text for p in body]
        assert row["summary"] in texts
        assert _stance(body) == tuple(int(row[c]) for c in STANCE_COLUMNS)
        bullets = [p.text for p in body if p.style.name == "List Bullet"]
        assert bullets == [line for line in row["key_points"].split("\n") if line]
        quotes = [i for i, p in enumerate(body) if p.style.name == "Quote"]
        assert [body[i].text for i in quotes] == row["quotes"].split("\n")
        for i, source in zip(quotes, row["sources"].split("\n")):
            assert body[i + 1].text == source
            assert all(r.font.size == Pt(8) for r in body[i + 1].runs)


def test_every_quote_is_verbatim_from_a_comment(document, tables):
    comments = tables["comments"]
    sender_of = dict(zip(comments["comment_id"], comments["sender"]))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == 4 + 4  # 2 + 2 measure quotes, 2 + 2 theme examples (one unknown id skipped)
    for quote in quotes:
        match = QUOTE_RE.match(quote)
        assert match, quote
        text, source = match.groups()
        assert any(text in full for full in comments["text"]), text
        sender = source.rsplit(", ", 1)[0] if ", " in source else source
        assert sender in set(sender_of.values())


def test_themes_headings_stances_and_examples(document, tables):
    parts = _subsections(_sections(document)["Temaer"])
    themes, comments = tables["themes"], tables["comments"]
    assert list(parts) == list(themes["label"])
    text_of = dict(zip(comments["comment_id"], comments["text"]))
    sender_of = dict(zip(comments["comment_id"], comments["sender"]))
    for _, row in themes.iterrows():
        body = parts[row["label"]]
        assert _stance(body) == tuple(int(row[c]) for c in STANCE_COLUMNS)
        facts = body[0].text
        assert facts.startswith(f"{row['size']} kommentarer fra {row['n_voices']} stemme")
        assert row["senders"] in facts
        ids = [c.strip() for c in row["representatives"].split(",") if c.strip() in text_of]
        examples = [p.text for p in body if p.style.name == "Quote"]
        assert examples == [f"«{text_of[c]}» ({sender_of[c]})" for c in ids]


def test_appendix_holds_exactly_the_comments_without_mentions(document, tables):
    comments, mentions = tables["comments"], tables["mentions"]
    free = comments[~comments["comment_id"].isin(mentions["comment_id"])]
    parts = _subsections(_sections(document)["Vedlegg: kommentarer som ikke nevner noe tiltak"])
    assert list(parts) == list(dict.fromkeys(free["sender"]))
    shown = [p.text for body in parts.values() for p in body]
    expected = [
        t.replace("\x00", "").replace("\x0b", "").replace("\x1f", "").replace("\ufffe", "") for t in free["text"]
    ]
    assert shown == expected
    assert "Skadet tekst fra OCR." in shown


def test_untrusted_text_stays_literal_text(notat, document):
    texts = [p.text for p in document.paragraphs]
    assert FORMULA_TEXT in texts
    assert f"«{SCRIPT_TEXT}» (Kirkens Bymisjon, kirkens-bymisjon-2)" in texts
    with zipfile.ZipFile(notat) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    for tag in ("w:fldSimple", "w:instrText", "w:hyperlink", "w:fldChar"):
        assert tag not in xml
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "example.org" not in rels and "hyperlink" not in rels


def test_empty_round_writes_a_valid_document(tmp_path):
    empty = {name: to_frame([], name) for name in TABLES}
    path = write_notat(tmp_path / "hoeringsnotat.docx", "Tom runde", **empty)
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "Høringsnotat: Tom runde"
    sections = _sections(document)
    assert "Det kom inn 0 filer med høringssvar." in sections["Innledning"][0].text
    assert "0 av 0 tiltak" in sections["Innledning"][0].text
    assert not document.tables
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Tiltak uten kommentarer"]
    assert not [p for p in document.paragraphs if p.style.name in ("Quote", "List Bullet")]


def test_overwrites_atomically(tmp_path, tables):
    path = tmp_path / "ut" / "hoeringsnotat.docx"
    write_notat(path, "Første", **tables)
    write_notat(path, "Andre", **tables)
    assert docx.Document(str(path)).paragraphs[0].text == "Høringsnotat: Andre"
    assert sorted(p.name for p in path.parent.iterdir()) == ["hoeringsnotat.docx"]


def test_long_or_dirty_round_name_still_writes(tmp_path):
    empty = {name: to_frame([], name) for name in TABLES}
    name = "Plan " * 100 + "\x07"
    path = write_notat(tmp_path / "hoeringsnotat.docx", name, **empty)
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "Høringsnotat: " + "Plan " * 100
    assert len(document.core_properties.title) == 255
