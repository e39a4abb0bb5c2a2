"""Write ``hoeringsnotat.docx``: an editable draft høringsnotat for planners, in Norwegian Bokmål.

The draft follows the usual shape of a høringsnotat: an introduction with the counts, the list of
høringsinstanser, one section per measure (summary, stances, key points, quotes with their sources),
the measures nobody commented on, the themes, and an appendix with the comments that mention no
measure. Planners edit it in Word; nothing in it is final.

All text comes from the responses and is untrusted: it is added only as plain text runs (never as
fields or hyperlinks), so ``=SUM(A1)`` stays text, and characters XML 1.0 cannot hold are removed.

Example:
    >>> write_notat(out_dir / "hoeringsnotat.docx", "Rusmiddelpolitisk handlingsplan", responses,
    ...             comments, mentions, themes, measure_summary)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import docx
import pandas as pd
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pipeline.nb.stances import STANCES
from pipeline.outputs.cells import number, split, typed
from pipeline.outputs.counts import RoundCounts, round_counts
from pipeline.summaries.per_measure import UNKNOWN_SENDER, attributed, source_of
from pipeline.tables import atomic_write

NOTAT = "hoeringsnotat.docx"
DRAFT_LINE = "Utkast, laget automatisk – les gjennom før bruk"
HEADING_CHARS = 80
CORE_PROPERTY_CHARS = 255  # python-docx refuses longer document properties
SMALL = Pt(8)
GREY = RGBColor(0x59, 0x59, 0x59)
LANGUAGE = "nb-NO"
# XML 1.0 cannot hold C0 controls (bar tab, newline, carriage return), surrogates, U+FFFE and U+FFFF;
# C1 controls are legal but never meant in a letter. Carriage returns become newlines first.
ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def write_notat(
    path: Path,
    round_name: str,
    responses: pd.DataFrame,
    comments: pd.DataFrame,
    mentions: pd.DataFrame,
    themes: pd.DataFrame,
    measure_summary: pd.DataFrame,
) -> Path:
    """Write the draft høringsnotat to ``path`` (normally ``<out>/hoeringsnotat.docx``), atomically.

    Empty tables give a valid document that says there is nothing to show.

    Returns:
        The path written.
    """
    document = docx.Document()
    _set_language(document)
    title = f"Høringsnotat: {clean(round_name)}"
    document.core_properties.title = title[:CORE_PROPERTY_CHARS]
    document.add_heading(title, 0)
    _text(document.add_paragraph(), DRAFT_LINE).italic = True

    unmentioned = _unmentioned(comments, mentions)
    counts = round_counts({"responses": responses, "comments": comments, "measure_summary": measure_summary})
    _introduction(document, counts, len(unmentioned))
    _senders(document, responses)
    _measures(document, measure_summary)
    _themes(document, themes, comments)
    _appendix(document, unmentioned)
    return atomic_write(path, lambda tmp: document.save(tmp))


def clean(text: object) -> str:
    """Text safe for a .docx: missing becomes ``""``, line breaks ``\\n``, XML-illegal characters go."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ""
    plain = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_XML_RE.sub("", plain)


def stance_line(row: pd.Series) -> str:
    """``Støtte: n · Kritikk: n · Forslag: n · Spørsmål: n · Nøytral: n`` from a row's stance counts."""
    return " · ".join(f"{s.heading}: {_count(row.get(s.column))}" for s in STANCES)


# --- sections -----------------------------------------------------------------------------------


def _introduction(document: Document, counts: RoundCounts, n_unmentioned: int) -> None:
    document.add_heading("Innledning", 1)
    sentences = [
        f"Det kom inn {_plural(counts.received, 'fil', 'filer')} med høringssvar.",
        f"{number(counts.read)} ble lest, og {number(counts.errors)} kunne ikke leses"
        + (f"; {_plural(counts.duplicates, 'fil', 'filer')} var kopier av andre svar." if counts.duplicates else "."),
        f"Svarene inneholder til sammen {_plural(counts.comments, 'kommentar', 'kommentarer')}.",
        f"{number(counts.measures_commented)} av {number(counts.measures)} tiltak i planen fikk kommentarer.",
        f"{_plural(n_unmentioned, 'kommentar', 'kommentarer')} nevner ikke noe tiltak; de står i vedlegget.",
    ]
    _text(document.add_paragraph(), " ".join(sentences))
    _text(
        document.add_paragraph(),
        "Tallene og sitatene er hentet automatisk fra høringssvarene. Sjekk sitatene mot kildene før notatet brukes.",
    )


def _senders(document: Document, responses: pd.DataFrame) -> None:
    document.add_heading("Høringsinstanser", 1)
    status = pd.Series(_strings(responses["status"]), index=responses.index)
    read = responses[status == "ok"]
    failed = responses[status == "error"]
    if read.empty:
        _text(document.add_paragraph(), "Ingen høringssvar kunne leses.")
    else:
        _table(
            document,
            ["Avsender", "Fil", "Antall kommentarer"],
            [
                [sender, file, number(_count(n))]
                for sender, file, n in zip(_strings(read["sender"]), _strings(read["source_file"]), read["n_comments"])
            ],
        )
    if not failed.empty:
        document.add_heading("Filer som ikke kunne leses", 2)
        for file, sender, error in zip(
            _strings(failed["source_file"]), _strings(failed["sender"]), _strings(failed["error"])
        ):
            who = f" ({sender})" if sender and sender not in (file, Path(file).stem) else ""
            _text(_paragraph(document, "List Bullet"), f"{file}{who}: {error or 'ukjent feil'}")


def _measures(document: Document, summary: pd.DataFrame) -> None:
    document.add_heading("Tiltak", 1)
    commented = summary[summary["n_comments"] > 0]
    silent = summary[summary["n_comments"] <= 0]
    if commented.empty:
        _text(document.add_paragraph(), "Ingen tiltak fikk kommentarer.")
    for _, row in commented.iterrows():
        _measure(document, row)

    document.add_heading("Tiltak uten kommentarer", 2)
    if silent.empty:
        _text(document.add_paragraph(), "Alle tiltakene fikk kommentarer.")
    for code, text in zip(_strings(silent["code"]), _strings(silent["text"])):
        _text(_paragraph(document, "List Bullet"), _heading_text(code, text))


def _measure(document: Document, row: pd.Series) -> None:
    document.add_heading(_heading_text(clean(row["code"]), clean(row["text"])), 2)
    if summary := clean(row.get("summary")).strip():
        _text(document.add_paragraph(), summary)
    _text(document.add_paragraph(), stance_line(row))
    if checked := _count(row.get("n_checked", 0)):
        n = _count(row["n_comments"])
        _small(
            document.add_paragraph(),
            f"Kontrollert av en person: {checked} av {_plural(n, 'kommentar', 'kommentarer')}.",
        )

    items = typed(row.get("key_point_items"))
    points = [clean(attributed(p)).strip() for p in items] if items is not None else _lines(row.get("key_points"))
    if points:
        document.add_heading("Hovedpunkter", 3)
        for point in points:
            _text(_paragraph(document, "List Bullet"), point)

    quotes = _quotes(row)
    if quotes:
        document.add_heading("Sitater", 3)
        for quote, source in quotes:
            _quote(document, quote)
            if source:
                _small(document.add_paragraph(), source)


def _quotes(row: pd.Series) -> list[tuple[str, str]]:
    """A measure's quotes and their sources, from ``quote_items``; where the row has none (an older
    run's table), from the ``quotes`` and ``sources`` lines, line by line."""
    items = typed(row.get("quote_items"))
    if items is not None:
        return [(clean(attributed(q)).strip(), clean(source_of(q["file"], q["paragraph"])).strip()) for q in items]
    quotes = clean(row.get("quotes")).split("\n")
    sources = clean(row.get("sources")).split("\n")
    return [(q.strip(), sources[i].strip() if i < len(sources) else "") for i, q in enumerate(quotes) if q.strip()]


def _themes(document: Document, themes: pd.DataFrame, comments: pd.DataFrame) -> None:
    document.add_heading("Temaer", 1)
    if themes.empty:
        _text(document.add_paragraph(), "Ingen temaer ble funnet.")
        return
    quote_of = {
        cid: (text, sender)
        for cid, text, sender in zip(
            _strings(comments["comment_id"]), _strings(comments["text"]), _strings(comments["sender"])
        )
    }
    for _, row in themes.iterrows():
        label = clean(row["label"]).strip() or f"Tema {_count(row['theme_id'])}"
        document.add_heading(label, 2)
        size, voices = _count(row["size"]), _count(row["n_voices"])
        facts = (
            f"{_plural(size, 'kommentar', 'kommentarer')} fra {_plural(voices, 'stemme', 'stemmer')} "
            "(en kampanje telt én gang)."
        )
        if senders := clean(row["senders"]).strip():
            facts += f" Avsendere: {senders}."
        if measures := clean(row.get("measures")).strip():
            facts += f" Tiltak: {measures}."
        _text(document.add_paragraph(), facts)
        _text(document.add_paragraph(), stance_line(row))
        if bool(row.get("reviewed", False)) or clean(row.get("note", "")).strip():
            reviewed = "Gjennomgått av en analytiker. " if bool(row.get("reviewed", False)) else ""
            note = clean(row.get("note", "")).strip()
            _small(document.add_paragraph(), reviewed + (f"Merknad: {note}" if note else ""))
        ids = typed(row.get("representative_list"))
        ids = [clean(c) for c in ids] if ids is not None else split(clean(row["representatives"]), ",")
        examples = [quote_of[c] for c in ids if c in quote_of]
        if examples:
            _text(document.add_paragraph(), "Typiske kommentarer:")
        for text, sender in examples:
            _quote(document, f"«{text}» ({sender or UNKNOWN_SENDER})")


def _appendix(document: Document, unmentioned: pd.DataFrame) -> None:
    document.add_heading("Vedlegg: kommentarer som ikke nevner noe tiltak", 1)
    if unmentioned.empty:
        _text(document.add_paragraph(), "Alle kommentarene nevner minst ett tiltak.")
        return
    by_sender: dict[str, list[str]] = {}
    for sender, text in zip(_strings(unmentioned["sender"]), _strings(unmentioned["text"])):
        by_sender.setdefault(sender.strip() or UNKNOWN_SENDER.capitalize(), []).append(text)
    for sender, texts in by_sender.items():
        document.add_heading(sender, 2)
        for text in texts:
            _text(document.add_paragraph(), text)


# --- helpers ------------------------------------------------------------------------------------


def _unmentioned(comments: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The comments no mention points to, in table order."""
    mentioned = set(_strings(mentions["comment_id"]))
    return comments[[cid not in mentioned for cid in _strings(comments["comment_id"])]]


def _text(paragraph: Paragraph, text: str) -> Run:
    """Add ``text`` to ``paragraph`` as one plain run (line breaks become breaks); returns the run."""
    return paragraph.add_run(clean(text))


def _small(paragraph: Paragraph, text: str) -> None:
    run = _text(paragraph, text)
    run.font.size = SMALL
    run.font.color.rgb = GREY


def _quote(document: Document, text: str) -> None:
    """A quote in the template's Quote style, or in italics where it has none."""
    if "Quote" in document.styles:
        _text(document.add_paragraph(style="Quote"), text)
    else:
        _text(document.add_paragraph(), text).italic = True


def _paragraph(document: Document, style: str) -> Paragraph:
    """A new paragraph in ``style`` when the template has it, else a plain one."""
    return document.add_paragraph(style=style if style in document.styles else None)


def _table(document: Document, header: list[str], rows: Iterable[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    if "Table Grid" in document.styles:
        table.style = document.styles["Table Grid"]
    for cell, name in zip(table.rows[0].cells, header):
        _text(cell.paragraphs[0], name).bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            _text(cell.paragraphs[0], value)


def _set_language(document: Document) -> None:
    """Mark the Normal style as Norwegian Bokmål, so Word's spelling check fits the text."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _heading_text(code: str, text: str) -> str:
    """``<code> <first 80 characters of the text>``, whitespace collapsed, ``…`` where cut."""
    flat = " ".join(clean(text).split())
    short = flat if len(flat) <= HEADING_CHARS else flat[:HEADING_CHARS].rstrip() + " …"
    return f"{clean(code).strip()} {short}".strip()


def _lines(text: object) -> list[str]:
    return [line.strip() for line in clean(text).split("\n") if line.strip()]


def _strings(column: pd.Series) -> list[str]:
    """A column as ``str`` values fit for the document's XML (:func:`clean`), missing ones as ``""``."""
    return [clean(v) for v in column.tolist()]


def _count(value: object) -> int:
    """A count as ``int``; missing counts as 0."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return 0
    return int(value)


def _plural(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"
