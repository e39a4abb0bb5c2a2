"""Write a round's results for readers: an Excel workbook and a self-contained HTML report.

Both take the contract tables from :mod:`pipeline.tables` and are written atomically (a temporary
file in the same folder, then renamed into place). All text comes from the responses and is
untrusted: the workbook stores every string as text, never as a formula, and the report escapes it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.tables import atomic_write

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = "report.html.j2"
FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_MAX_CHARS = 32_767
MIN_WIDTH, MAX_WIDTH = 8, 80
INVALID_SUFFIX = " (finnes ikke i planen)"
LOW_CONFIDENCE = 0.8
MAX_CORRECTIONS = 200
TEXT_EXCERPT = 160

HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINK_FONT = Font(color="0563C1", underline="single")


def write_workbook(
    path: Path,
    *,
    measure_summary: pd.DataFrame,
    comments: pd.DataFrame,
    mentions: pd.DataFrame,
    themes: pd.DataFrame,
    responses: pd.DataFrame,
) -> Path:
    """Write ``oppsummering.xlsx`` with the sheets Tiltak, Kommentarer, Temaer and Svar.

    Each code on Tiltak links to the first row on Kommentarer of a comment that mentions it.

    Returns:
        The path written.
    """
    comment_row = {cid: i + 2 for i, cid in enumerate(_strings(comments["comment_id"]))}
    wb = Workbook()
    wb.remove(wb.active)
    sheets = [
        ("Tiltak", _measure_sheet(measure_summary), {"Tiltak", "Avsendere", "Sitater"}),
        ("Kommentarer", _comment_sheet(comments, mentions, themes), {"Tekst", "Tiltakskoder", "Tema", "Tiltak uten kode"}),
        ("Temaer", _theme_sheet(themes, comments), {"Etikett", "Nøkkelfraser", "Avsendere", "Tiltak", "Typiske kommentarer"}),
        ("Svar", _response_sheet(responses), {"Feil"}),
    ]
    for name, frame, wrapped in sheets:
        _fill_sheet(wb.create_sheet(name), frame, wrapped)

    ws = wb["Tiltak"]
    for i, ids in enumerate(_strings(measure_summary["comment_ids"]), start=2):
        rows = [comment_row[c] for c in _split(ids, ",") if c in comment_row]
        if rows:
            cell = ws.cell(row=i, column=1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'Kommentarer'!A{min(rows)}")
            cell.font = LINK_FONT
    return atomic_write(path, wb.save)


def write_report(
    path: Path,
    *,
    round_name: str,
    measure_summary: pd.DataFrame,
    comments: pd.DataFrame,
    mentions: pd.DataFrame,
    themes: pd.DataFrame,
    responses: pd.DataFrame,
    corrections: pd.DataFrame,
    theme_checks: list[str] | None = None,
) -> Path:
    """Write ``rapport.html``: one HTML file with inline CSS that opens offline in any browser.

    Returns:
        The path written.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tall"] = _number
    context = _report_context(measure_summary, comments, mentions, themes, responses, corrections)
    html = env.get_template(REPORT_TEMPLATE).render(
        round_name=round_name, theme_checks=theme_checks or [], **context
    )
    return atomic_write(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


# --- workbook sheets ----------------------------------------------------------------------------


def _measure_sheet(summary: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Kode": summary["code"],
            "Tiltak": summary["text"],
            "Antall kommentarer": summary["n_comments"],
            "Antall svar": summary["n_responses"],
            "Avsendere": summary["senders"],
            "Sitater": summary["quotes"],
        }
    )


def _comment_sheet(comments: pd.DataFrame, mentions: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    written: dict[str, list[str]] = {}
    inferred: dict[str, list[str]] = {}
    for m in mentions.itertuples(index=False):
        if m.kind == "explicit":
            label = m.code if bool(m.valid) else m.code + INVALID_SUFFIX
            if m.likely:
                label += f" (trolig {m.likely})"
            target = written.setdefault(str(m.comment_id), [])
        else:
            label = f"{m.code} ({_decimal(m.score)})"
            target = inferred.setdefault(str(m.comment_id), [])
        if label not in target:
            target.append(label)
    labels = dict(zip(themes["theme_id"].astype(int), _strings(themes["label"])))
    ids = _strings(comments["comment_id"])
    return pd.DataFrame(
        {
            "Kommentar-id": comments["comment_id"],
            "Avsender": comments["sender"],
            "Seksjon": comments["section"],
            "Tekst": comments["text"],
            "Tiltakskoder": [", ".join(written.get(c, [])) for c in ids],
            "Tema": [labels.get(int(t), "") for t in comments["theme_id"]],
            "Svar-id": comments["response_id"],
            "Tiltak uten kode": [", ".join(inferred.get(c, [])) for c in ids],
        }
    )


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _theme_sheet(themes: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    quoted = _quotes_by_comment(comments)
    examples = [
        "\n\n".join(quoted[c] for c in _split(ids, ",") if c in quoted)
        for ids in _strings(themes["representatives"])
    ]
    return pd.DataFrame(
        {
            "Tema-id": themes["theme_id"],
            "Etikett": themes["label"],
            "Nøkkelfraser": themes["phrases"],
            "Nøkkelord": themes["keywords"],
            "Antall kommentarer": themes["size"],
            "Antall svar": themes["n_responses"],
            "Antall stemmer": themes["n_voices"],
            "Avsendere": themes["senders"],
            "Kampanjer": themes["campaigns"],
            "Tiltak": themes["measures"],
            "Typiske kommentarer": examples,
        }
    )


def _quotes_by_comment(comments: pd.DataFrame) -> dict[str, str]:
    """Each comment as a quote with its sender: «text» (sender)."""
    return {
        cid: f"«{text}»" + (f" ({sender})" if sender else "")
        for cid, text, sender in zip(
            _strings(comments["comment_id"]), _strings(comments["text"]), _strings(comments["sender"])
        )
    }


def _response_sheet(responses: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Svar-id": responses["response_id"],
            "Fil": responses["source_file"],
            "Avsender": responses["sender"],
            "Format": responses["format"],
            "Status": responses["status"],
            "Feil": responses["error"],
            "Antall kommentarer": responses["n_comments"],
        }
    )


def _fill_sheet(ws: Worksheet, frame: pd.DataFrame, wrapped: set[str]) -> None:
    """Write a frame with a bold frozen header, an autofilter and readable column widths."""
    for col, name in enumerate(frame.columns, start=1):
        _put(ws.cell(row=1, column=col), name).font = HEADER_FONT
        wrap = name in wrapped
        longest = len(name)
        for row, value in enumerate(frame[name].tolist(), start=2):
            cell = _put(ws.cell(row=row, column=col), value)
            cell.alignment = WRAP if wrap else TOP
            if isinstance(cell.value, str):
                longest = max([longest, *(len(line) for line in cell.value.splitlines())])
            elif cell.value is not None:
                longest = max(longest, len(str(cell.value)))
        ws.column_dimensions[get_column_letter(col)].width = min(max(MIN_WIDTH, longest + 2), MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _put(cell: Any, value: Any) -> Any:
    """Set a cell's value; a string is always stored as text, never read as a formula."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        cell.value = None
    elif isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_CHARS]
        cell.value = text
        cell.data_type = "s"  # openpyxl makes "=…" a formula; text is never one
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True  # stays text in Excel when the cell is edited
    else:
        cell.value = value.item() if hasattr(value, "item") else value
    return cell


# --- report -------------------------------------------------------------------------------------


def _report_context(
    summary: pd.DataFrame,
    comments: pd.DataFrame,
    mentions: pd.DataFrame,
    themes: pd.DataFrame,
    responses: pd.DataFrame,
    corrections: pd.DataFrame,
) -> dict[str, Any]:
    text_of = dict(zip(_strings(comments["comment_id"]), _strings(comments["text"])))
    sender_of = dict(zip(_strings(comments["comment_id"]), _strings(comments["sender"])))

    measures = [
        {
            "code": code,
            "anchor": "tiltak-" + re.sub(r"[^A-Za-z0-9_-]", "-", code),
            "text": text,
            "short": _excerpt(text, TEXT_EXCERPT),
            "n_comments": int(n),
            "n_responses": int(r),
            "senders": senders,
            "quotes": _split(quotes, "\n"),
        }
        for code, text, n, r, senders, quotes in zip(
            _strings(summary["code"]),
            _strings(summary["text"]),
            summary["n_comments"],
            summary["n_responses"],
            _strings(summary["senders"]),
            _strings(summary["quotes"]),
        )
    ]
    commented = [m for m in measures if m["n_comments"] > 0]
    top = max((m["n_comments"] for m in commented), default=1)
    for m in commented:
        m["width"] = f"{max(100 * m['n_comments'] / top, 1):.1f}"

    theme_rows = [
        {
            "theme_id": int(theme_id),
            "label": label,
            "phrases": phrases,
            "keywords": keywords,
            "size": int(size),
            "n_responses": int(n),
            "n_voices": int(voices),
            "campaigns": campaigns,
            "measures": codes,
            "senders": senders,
            "examples": [
                {"text": text_of[c], "sender": sender_of.get(c, "")} for c in _split(reps, ",") if c in text_of
            ],
        }
        for theme_id, label, phrases, keywords, size, n, voices, campaigns, codes, senders, reps in zip(
            themes["theme_id"],
            _strings(themes["label"]),
            _strings(themes["phrases"]),
            _strings(themes["keywords"]),
            themes["size"],
            themes["n_responses"],
            themes["n_voices"],
            _strings(themes["campaigns"]),
            _strings(themes["measures"]),
            _strings(themes["senders"]),
            _strings(themes["representatives"]),
        )
    ]
    theme_rows.sort(key=lambda t: -t["size"])

    bad = mentions[~mentions["valid"].astype(bool)]
    invalid = [
        {
            "code": code,
            "comment_id": cid,
            "sender": sender_of.get(cid, ""),
            "excerpt": _excerpt(text_of.get(cid, ""), 200),
        }
        for code, cid in zip(_strings(bad["code"]), _strings(bad["comment_id"]))
    ]

    moved = mentions[mentions["likely"].fillna("") != ""]
    drift = [
        {
            "code": code,
            "likely": likely,
            "comment_id": cid,
            "sender": sender_of.get(cid, ""),
            "excerpt": _excerpt(text_of.get(cid, ""), 200),
        }
        for code, likely, cid in zip(_strings(moved["code"]), _strings(moved["likely"]), _strings(moved["comment_id"]))
    ]

    failed = responses[responses["status"].fillna("") == "error"]
    errors = [
        {"file": f, "sender": s, "error": e}
        for f, s, e in zip(_strings(failed["source_file"]), _strings(failed["sender"]), _strings(failed["error"]))
    ]

    unsure = corrections[corrections["confidence"] < LOW_CONFIDENCE]
    fixes = [
        {
            "response_id": rid,
            "line": int(line),
            "original": o,
            "corrected": c,
            "rule": rule,
            "confidence": f"{conf:.2f}".replace(".", ","),
        }
        for rid, line, o, c, rule, conf in zip(
            _strings(unsure["response_id"]),
            unsure["line"],
            _strings(unsure["original"]),
            _strings(unsure["corrected"]),
            _strings(unsure["rule"]),
            unsure["confidence"],
        )
    ][:MAX_CORRECTIONS]

    valid_ids = set(_strings(mentions.loc[mentions["valid"].astype(bool), "comment_id"]))
    figures = [
        ("Høringssvar", len(responses)),
        ("Svar med lesefeil", len(errors)),
        ("Kommentarer", len(comments)),
        ("Kommentarer som nevner et tiltak", sum(c in valid_ids for c in text_of)),
        ("Temaer", len(themes)),
    ]
    return {
        "figures": figures,
        "measures": measures,
        "commented": commented,
        "themes": theme_rows,
        "invalid": invalid,
        "drift": drift,
        "errors": errors,
        "corrections": fixes,
        "n_uncertain": len(unsure),
        "low_confidence": str(LOW_CONFIDENCE).replace(".", ","),
    }


# --- helpers ------------------------------------------------------------------------------------


def _strings(column: pd.Series) -> list[str]:
    """A string column as plain ``str`` values, missing ones as ``""``."""
    return ["" if pd.isna(v) else str(v) for v in column.tolist()]


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


def _excerpt(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary near ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,.;:") + " …"


def _number(n: int) -> str:
    """Norwegian thousands grouping with a no-break space: 12 345."""
    return f"{n:,}".replace(",", "\u00a0")
