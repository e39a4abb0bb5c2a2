"""Write a round's workbook for readers: ``oppsummering.xlsx``, one sheet per table a reader needs.

Sheets Tiltak, Kommentarer, Temaer and Svar, from the contract tables (:mod:`pipeline.tables`), written
atomically (a temporary file in the same folder, then renamed into place). All text comes from the
responses and is untrusted: every string is stored as text, never as a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.nb.stances import NORWEGIAN as STANCE_NAMES
from pipeline.nb.stances import STANCES
from pipeline.outputs.cells import listed, strings
from pipeline.summaries.per_measure import source_of
from pipeline.tables import atomic_write

FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_MAX_CHARS = 32_767
MIN_WIDTH, MAX_WIDTH = 8, 80
INVALID_SUFFIX = " (finnes ikke i planen)"

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
    comment_row = {cid: i + 2 for i, cid in enumerate(strings(comments["comment_id"]))}
    wb = Workbook()
    wb.remove(wb.active)
    sheets = [
        (
            "Tiltak",
            _measure_sheet(measure_summary),
            {"Tiltak", "Avsendere", "Sitater", "Oppsummering", "Hovedpunkter", "Kilder"},
        ),
        (
            "Kommentarer",
            _comment_sheet(comments, mentions, themes, responses),
            {"Tekst", "Tiltakskoder", "Tema", "Tiltak uten kode"},
        ),
        (
            "Temaer",
            _theme_sheet(themes, comments),
            {"Etikett", "Nøkkelfraser", "Avsendere", "Tiltak", "Typiske kommentarer"},
        ),
        ("Svar", _response_sheet(responses), {"Feil"}),
    ]
    for name, frame, wrapped in sheets:
        _fill_sheet(wb.create_sheet(name), frame, wrapped)

    ws = wb["Tiltak"]
    for i, ids in enumerate(listed(measure_summary, "comment_id_list", "comment_ids", ","), start=2):
        rows = [comment_row[c] for c in ids if c in comment_row]
        if rows:
            cell = ws.cell(row=i, column=1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'Kommentarer'!A{min(rows)}")
            cell.font = LINK_FONT
    return atomic_write(path, wb.save)


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
            **{s.heading: summary[s.column] for s in STANCES},
            "Oppsummering": summary["summary"],
            "Hovedpunkter": summary["key_points"],
            "Kilder": summary["sources"],
            **(
                {"Kontrollert av person": summary["n_checked"]}
                if "n_checked" in summary and summary["n_checked"].sum()
                else {}
            ),
        }
    )


def _comment_sheet(
    comments: pd.DataFrame, mentions: pd.DataFrame, themes: pd.DataFrame, responses: pd.DataFrame
) -> pd.DataFrame:
    written: dict[str, list[str]] = {}
    inferred: dict[str, list[str]] = {}
    for m in mentions.itertuples(index=False):
        if m.kind == "explicit":
            label = m.code if bool(m.valid) else m.code + INVALID_SUFFIX
            if m.likely:
                label += f" (trolig {m.likely})"
            target = written.setdefault(str(m.comment_id), [])
        elif m.kind == "person":
            label = f"{m.code} (lagt til av en person)"
            target = inferred.setdefault(str(m.comment_id), [])
        else:
            label = f"{m.code} ({_decimal(m.score)})"
            target = inferred.setdefault(str(m.comment_id), [])
        if label not in target:
            target.append(label)
    labels = dict(zip(themes["theme_id"].astype(int), strings(themes["label"])))
    files = dict(zip(strings(responses["response_id"]), strings(responses["source_file"])))
    ids = strings(comments["comment_id"])
    sheet = pd.DataFrame(
        {
            "Kommentar-id": comments["comment_id"],
            "Avsender": comments["sender"],
            "Seksjon": comments["section"],
            "Tekst": comments["text"],
            "Tiltakskoder": [", ".join(written.get(c, [])) for c in ids],
            "Tema": [labels.get(int(t), "") for t in comments["theme_id"]],
            "Svar-id": comments["response_id"],
            "Tiltak uten kode": [", ".join(inferred.get(c, [])) for c in ids],
            "Holdning": [STANCE_NAMES.get(s, s) for s in strings(comments["stance"])],
            "Sikkerhet holdning": [round(float(x), 2) for x in comments["stance_confidence"]],
            "Kilde": [
                source_of(files.get(r, r), int(n))
                for r, n in zip(strings(comments["response_id"]), comments["paragraph"])
            ],
        }
    )
    return _with_checks(sheet, comments, mentions)


# what a person checked in the review app, as the workbook names it (a column only where anything was)
CHECKED = {"stance_checked": "holdning", "theme_checked": "tema", "sender_checked": "avsender"}


def _with_checks(sheet: pd.DataFrame, comments: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The comments sheet with «Kontrollert av person» (holdning, tema, avsender, tiltak) where review checked any."""
    linked = set(mentions.loc[mentions["checked"] != "", "comment_id"]) if "checked" in mentions else set()
    marks = [
        [word for column, word in CHECKED.items() if column in comments and bool(comments[column].iloc[i])]
        + (["tiltak"] if c in linked else [])
        for i, c in enumerate(strings(comments["comment_id"]))
    ]
    if any(marks):
        sheet["Kontrollert av person"] = [", ".join(m) for m in marks]
    return sheet


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _theme_sheet(themes: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    quoted = _quotes_by_comment(comments)
    examples = [
        "\n\n".join(quoted[c] for c in ids if c in quoted)
        for ids in listed(themes, "representative_list", "representatives", ",")
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
            **{s.heading: themes[s.column] for s in STANCES},
            **(
                {"Gjennomgått": ["ja" if r else "" for r in themes["reviewed"]], "Merknad": themes["note"]}
                if "reviewed" in themes and (themes["reviewed"].any() or (themes["note"] != "").any())
                else {}
            ),
        }
    )


def _quotes_by_comment(comments: pd.DataFrame) -> dict[str, str]:
    """Each comment as a quote with its sender: «text» (sender)."""
    return {
        cid: f"«{text}»" + (f" ({sender})" if sender else "")
        for cid, text, sender in zip(
            strings(comments["comment_id"]), strings(comments["text"]), strings(comments["sender"])
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
