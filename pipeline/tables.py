"""The output contract: every table written to ``data/processed/<round>/``, its columns and types.

Later stages may add columns; none is renamed or dropped. ``README.md`` documents the same schema and
a test checks that the two agree. A column of lists (dtype ``object``: Python lists of ``str`` or of
dicts, ``list<string>`` or ``list<struct>`` in Parquet) holds as values what its older string twin
holds as text (``sender_list`` and ``senders``); the twin is made from it.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

FILE_MODE = 0o644
LIST_SEPARATOR = ", "


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # a pandas dtype name
    meaning: str
    default: Any = None  # a column added later has one: rows built before it still fit
    arrow: pa.DataType | None = None  # the Parquet type of a column of lists ("object")


def list_column(name: str, meaning: str, *fields: tuple[str, pa.DataType]) -> Column:
    """A column of lists: of strings, or of records with ``fields``; rows built without it get an empty list."""
    item = pa.struct(list(fields)) if fields else pa.string()
    return Column(name, "object", meaning, [], pa.list_(item))


def joined(values: Iterable[str]) -> str:
    """The string twin of a list column: its values comma-separated."""
    return LIST_SEPARATOR.join(values)


TEXT, COUNT = pa.string(), pa.int64()

# comments of each stance (pipeline/comments/stance.py), in the themes and the per-measure summary
STANCE_COLUMNS = [
    Column("n_support", "int64", "comments that support"),
    Column("n_critique", "int64", "comments that criticise"),
    Column("n_proposal", "int64", "comments that propose a change or addition"),
    Column("n_question", "int64", "comments that ask a question"),
    Column("n_neutral", "int64", "comments with no clear stance"),
]

# who sent a response, as the machine found it and whether a person corrected it (responses, comments)
SENDER_REVIEW_COLUMNS = [
    Column("machine_sender", "string", "the sender the machine found (sender: after review)", ""),
    Column("machine_sender_kind", "string", "the kind of sender the machine found", ""),
    Column("sender_checked", "bool", "a person set the sender (in the review app)", False),
]

SCHEMAS: dict[str, list[Column]] = {
    "responses": [
        Column("response_id", "string", "stable id of the response, from its file name"),
        Column("source_file", "string", "path of the file, relative to the round's responses/ folder"),
        Column("sha256", "string", "SHA-256 of the file's bytes"),
        Column("sender", "string", "who sent it (from title or signature; file name as fallback)"),
        Column("format", "string", "file extension: txt, pdf, docx, odt, eml, png, jpg, tif, …"),
        Column(
            "status",
            "string",
            "ok; error when the file could not be read or analysed; duplicate when it has "
            "the same bytes as an earlier file (not analysed again)",
        ),
        Column(
            "error",
            "string",
            "why the file could not be read or analysed, or which file a duplicate repeats (empty when ok)",
        ),
        Column("n_comments", "int64", "number of comments found in the response"),
        Column("encoding", "string", "detected text encoding (txt files)"),
        Column("pages", "Int64", "number of pages (pdf files)"),
        Column("n_corrections", "int64", "number of OCR corrections made to the text"),
        Column(
            "extraction",
            "string",
            "how the text was obtained: text, pdf-text, pdf-ocr, image-ocr, docx, "
            "odt, eml (+ its attachments' ways, e.g. eml+pdf-text)",
        ),
        Column("campaign_id", "string", "the campaign (near-identical letters) it belongs to; empty if none"),
        Column(
            "sender_kind",
            "string",
            "organisation (also public bodies and councils), person (writing for "
            "themself: the only senders pseudonymised in shared outputs) or unknown",
            "unknown",
        ),
        Column(
            "sender_evidence",
            "string",
            "where the sender was found, in Norwegian: tittel, signatur, byline, "
            "åpningssetning, omtaler seg selv (N×), brevhode, e-post (From), filnavn; ';'-separated",
            "",
        ),
        *SENDER_REVIEW_COLUMNS,
    ],
    "comments": [
        Column("comment_id", "string", "stable id: <response_id>-<position>"),
        Column("response_id", "string", "the response it comes from"),
        Column("sender", "string", "sender of that response"),
        Column("section", "string", "heading of the section it stands under (empty before the first)"),
        Column("text", "string", "the comment's cleaned text"),
        Column("theme_id", "int64", "its theme (themes.parquet); -1 when it belongs to no theme"),
        Column("kind", "string", "paragraph, bullet or numbered (list item)"),
        Column("position", "int64", "order of the comment within its response, from 1"),
        Column("char_start", "int64", "start offset of the text in the response's cleaned text"),
        Column("char_end", "int64", "end offset (exclusive) in the response's cleaned text"),
        Column("lead_in", "string", "for a list item: the sentence that introduces its list (else empty)"),
        Column("stance", "string", "support, critique, proposal, question or neutral"),
        Column("stance_confidence", "float64", "confidence of the stance, from 0 to 1"),
        Column("paragraph", "int64", "the paragraph of the cleaned response it starts in, from 1"),
        Column("sender_kind", "string", "the kind of its sender: organisation, person or unknown", "unknown"),
        Column("machine_stance", "string", "the stance the model found (stance: after review)", ""),
        Column("stance_checked", "bool", "a person set the stance (in the review app)", False),
        Column("machine_theme_id", "int64", "the theme the clustering put it in, before moves and merges", -1),
        Column("theme_checked", "bool", "a person put the comment in its theme (or in none)", False),
        *SENDER_REVIEW_COLUMNS,
    ],
    "left_out": [
        Column("response_id", "string", "the response the block belongs to"),
        Column("paragraph", "int64", "the block (paragraph) of the cleaned response, from 1"),
        Column("text", "string", "the block's text, verbatim"),
        Column(
            "kind",
            "string",
            "why it is not a comment: title, heading (used as section), greeting, closing, "
            "signature, repeated (a pull quote), too-short, debris, or page furniture: date, published, "
            "reference, credit, caption, navigation, link, contact, byline, letterhead",
        ),
        Column("reason", "string", "the same in Norwegian, as shown to users"),
    ],
    "mentions": [
        Column("comment_id", "string", "the comment that mentions the measure"),
        Column("code", "string", "measure code, normalised (7S, 11F)"),
        Column("kind", "string", "explicit (the code is written) or implicit"),
        Column("valid", "bool", "whether the plan has a measure with this code"),
        Column("score", "float64", "confidence from 0 to 1 (1 for a written code)"),
        Column("evidence", "string", "the text that was matched, as written"),
        Column("likely", "string", "for a cited code that seems to mean another measure: that measure"),
        Column("drift_score", "float64", "how much better the likely measure fits the comment (0 if none)"),
        Column("machine_likely", "string", "the likely measure the machine suggested (likely: after review)", ""),
        Column(
            "checked",
            "string",
            "what a person did with the link: confirmed (also a drift suggestion accepted or rejected), added "
            "(kind person), or empty (not checked); a link a person rejected is not in the table",
            "",
        ),
    ],
    "measures": [
        Column("code", "string", "measure code (1F … 24F, 1S … 19S)"),
        Column("area", "string", "letter of the code: F forebygging, S skadereduksjon"),
        Column("number", "int64", "number of the code"),
        Column("text", "string", "the measure's text, sub-bullets on lines starting with '- '"),
        Column("goal", "string", "the result goal (resultatmål) the measure serves"),
        Column("responsible", "string", "responsible department(s), e.g. SET, HLS/UTD"),
        Column("plan_file", "string", "the plan file the measure was read from"),
        Column("innsatsomrade", "string", "the area of effort (innsatsområde) it serves, inferred from its goal"),
        Column("plan_version", "string", "the plan version (default: the plan file's name)"),
    ],
    "themes": [
        Column("theme_id", "int64", "theme id"),
        Column("label", "string", "readable label: its top keywords"),
        Column("keywords", "string", "top keywords, comma-separated, most typical first"),
        Column("size", "int64", "number of comments in the theme"),
        Column("n_responses", "int64", "number of responses with a comment in the theme"),
        Column("representative", "string", "comment_id of the comment closest to the theme's centre"),
        Column("phrases", "string", "key phrases (two-word terms) among the keywords"),
        Column("representatives", "string", "2-3 comment_ids that show the theme: central and unlike each other"),
        Column("n_voices", "int64", "responses raising it, a campaign counted once"),
        Column("n_signers", "int64", "responses raising it, every campaign letter counted"),
        Column("senders", "string", "senders raising it, comma-separated"),
        Column("response_ids", "string", "responses raising it, comma-separated"),
        Column("campaigns", "string", "campaigns among them (campaign_id), comma-separated"),
        Column("measures", "string", "measures its comments are about, with counts: 10S (5), 7S (2)"),
        *STANCE_COLUMNS,
        list_column("keyword_list", "the keywords (list of str), most typical first"),
        list_column("phrase_list", "the key phrases (list of str)"),
        list_column("representative_list", "the representatives' comment_ids (list of str)"),
        list_column("sender_list", "the senders raising it (list of str)"),
        list_column("response_id_list", "the responses raising it (list of str)"),
        list_column("campaign_list", "the campaigns among them (list of str)"),
        list_column(
            "measure_items", "the measures with counts: list of {code, n}, most first", ("code", TEXT), ("n", COUNT)
        ),
        Column("reviewed", "bool", "a person has checked the theme (in the review app)", False),
        Column("note", "string", "the analyst's note on the theme", ""),
    ],
    "corrections": [
        Column("response_id", "string", "the response the change was made in"),
        Column("line", "int64", "line number in the extracted text, from 1"),
        Column("original", "string", "text as extracted: a word, a bullet glyph, a header line, head-|tail"),
        Column("corrected", "string", "text after repair (empty for a removed header or page number)"),
        Column("rule", "string", "lexicon, symbol, bullet, dehyphenate or page-furniture"),
        Column("confidence", "float64", "confidence from 0 to 1"),
    ],
    "campaigns": [
        Column("campaign_id", "string", "campaign id (kampanje-1, …)"),
        Column("n_responses", "int64", "near-identical responses (letters) in it"),
        Column("senders", "string", "who signed them, comma-separated"),
        Column("response_ids", "string", "the responses, comma-separated"),
        list_column("sender_list", "who signed them (list of str)"),
        list_column("response_id_list", "the responses (list of str)"),
    ],
    "crosswalk": [
        Column("cited", "string", "a code as responses cite it (draft numbering)"),
        Column("likely", "string", "the measure in the analysed plan it most likely means"),
        Column("support", "int64", "comments whose content points to this pair"),
        Column("n_responses", "int64", "responses with such a comment"),
        Column("comment_ids", "string", "those comments, comma-separated"),
        list_column("comment_id_list", "those comments (list of str)"),
    ],
    "measure_summary": [
        Column("code", "string", "measure code"),
        Column("area", "string", "F or S"),
        Column("text", "string", "the measure's text"),
        Column("n_comments", "int64", "comments that mention the measure"),
        Column("n_responses", "int64", "responses with such a comment"),
        Column("senders", "string", "their senders, comma-separated"),
        Column("quotes", "string", "up to three quotes: «text» (sender, comment id), one per line"),
        Column("comment_ids", "string", "ids of the comments, comma-separated"),
        *STANCE_COLUMNS,
        Column("summary", "string", "a short Norwegian summary: who, how many, and the balance of stances"),
        Column(
            "key_points",
            "string",
            "3-5 key points: representative, non-redundant sentences, «sentence» (sender, comment id), one per line",
        ),
        Column(
            "sources",
            "string",
            "where each quote is found: file, avsnitt N (paragraph of the cleaned text), one per line as quotes",
        ),
        list_column(
            "quote_items",
            "the quotes: list of {text, sender, comment_id, file, paragraph}, each verbatim with its sender (empty "
            "when unknown), its comment and where it is found",
            ("text", TEXT),
            ("sender", TEXT),
            ("comment_id", TEXT),
            ("file", TEXT),
            ("paragraph", COUNT),
        ),
        list_column(
            "key_point_items",
            "the key points: list of {text, sender, comment_id}, sender empty when unknown",
            ("text", TEXT),
            ("sender", TEXT),
            ("comment_id", TEXT),
        ),
        list_column("comment_id_list", "ids of the comments (list of str)"),
        list_column("sender_list", "their senders (list of str)"),
        Column("n_checked", "int64", "of its comments, those whose link or stance a person has checked", 0),
    ],
    "unapplied": [
        Column("decision_id", "int64", "the decision in the review store (gjennomgang.sqlite)"),
        Column("kind", "string", "what it decided: comment.stance, comment.theme, mention, drift, response.sender"),
        Column("target", "string", "what it was about: a comment id, '<comment id> <code>' or a response id"),
        Column("who", "string", "who decided"),
        Column("at", "string", "when (UTC)"),
        Column("after", "string", "what was decided"),
        Column("reason", "string", "why it no longer applies, in Norwegian"),
    ],
}


def columns(table: str) -> list[str]:
    """Column names of a contract table, in order."""
    return [c.name for c in SCHEMAS[table]]


def to_frame(rows: Iterable[Any], table: str) -> pd.DataFrame:
    """Build a contract table from dataclass instances or dicts; extra fields are dropped.

    Raises:
        KeyError: a row lacks one of the table's columns.
    """
    records = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in rows]
    names = columns(table)
    defaults = {c.name: c.default for c in SCHEMAS[table] if c.default is not None}
    frame = pd.DataFrame(
        [{n: r[n] if n in r or n not in defaults else copy.copy(defaults[n]) for n in names} for r in records],
        columns=names,
    )
    return frame.astype({c.name: c.dtype for c in SCHEMAS[table]})


def with_defaults(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A table as an older version wrote it, with the columns added since at their defaults."""
    missing = {c.name: c.default for c in SCHEMAS[table] if c.name not in frame and c.default is not None}
    return frame.assign(**{k: [copy.copy(v) for _ in range(len(frame))] for k, v in missing.items()})


def write_parquet(frame: pd.DataFrame, path: Path, table: str | None = None) -> Path:
    """Write a table atomically (see :func:`atomic_write`); with its ``table`` name, its columns of lists
    get their Parquet types also where every list is empty."""
    typed = {c.name: c.arrow for c in SCHEMAS.get(table or "", []) if c.arrow is not None and c.name in frame}
    if not typed:
        return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
    schema = pa.Schema.from_pandas(frame, preserve_index=False)
    for name, arrow in typed.items():
        schema = schema.set(schema.get_field_index(name), pa.field(name, arrow))
    return atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False, schema=schema))


def atomic_write(path: Path, write: Callable[[str], Any]) -> Path:
    """Call ``write`` on a temporary file next to ``path``, then rename it into place.

    An interrupted run leaves the previous file intact, never a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes it private; outputs are for sharing
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
