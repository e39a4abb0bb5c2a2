"""Mask personal data in a round's tables before they go into shared outputs.

Private citizens' responses carry personal data (national identity numbers, phone numbers, e-mail
addresses, street addresses, their names) that must not spread into the workbook, the HTML report
or the Word høringsnotat, which are shared across the administration. :func:`mask_tables` masks a
round's tables for those outputs: private senders (see :func:`is_private_person`) become
``Privatperson 1``, ``Privatperson 2`` … in every sender column and in the ``(sender, comment id)``
attributions of quotes and key points; free text goes through :func:`mask_text`
(:mod:`pipeline.outputs.personal_data`), which replaces personal data and the private persons' names
with placeholders. Organisations keep their names. A column of lists is masked as its string twin, value
by value: ``sender_list`` as ``senders``, the ``sender`` and ``text`` of each of ``quote_items`` as
the attribution and text of ``quotes``, id lists as ids.

Verifiability: masking replaces spans of text, so the shared outputs quote the *masked* text; a
quote there is found verbatim in the masked comment text of the same outputs (unless the quote cut
a piece of personal data in half, which then is masked in the comment but not in the quote's
fragment). The unmasked tables (the parquet files under ``data/processed/``, internal to the
secretariat) keep the original text; comment ids, response ids, file names and offsets are not
masked, so every quote can be traced to the original response. File names that carry a person's
name (``hilde-moen.txt``) therefore still show in ids and sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.nb.organisations import ORGANISATION_SUFFIXES, ORGANISATION_WORDS
from pipeline.outputs.personal_data import NAME_PARTICLES, mask_text
from pipeline.tables import LIST_SEPARATOR

PSEUDONYM = "Privatperson {}"

# --- private persons --------------------------------------------------------------------------
MIN_NAME_WORDS, MAX_NAME_WORDS = 2, 4
_NAME_WORD_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*")
_INITIAL_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]\.?")


# --- tables -----------------------------------------------------------------------------------
# A column of lists is masked value by value; ``column.field`` is one field of a column of records.
SENDER_COLUMNS = {
    "responses": ("sender", "machine_sender"),
    "comments": ("sender", "machine_sender"),
    "themes": ("sender_list",),
    "measure_summary": ("sender_list", "quote_items.sender", "key_point_items.sender"),
    "campaigns": ("sender_list",),
}
SENDER_LIST_COLUMNS = {"themes": ("senders",), "measure_summary": ("senders",), "campaigns": ("senders",)}
ATTRIBUTED_COLUMNS = {"measure_summary": ("quotes", "key_points")}  # «text» (sender, comment id) lines
SENDER_NAMING_COLUMNS = {"measure_summary": ("summary",)}  # free text that lists senders by name
FREE_TEXT_COLUMNS = {
    "responses": ("error",),
    "comments": ("text", "section", "lead_in"),
    "themes": ("label", "keywords", "phrases", "keyword_list", "phrase_list"),
    "measure_summary": ("summary", "quote_items.text", "key_point_items.text"),
    "corrections": ("original", "corrected"),
    "mentions": ("evidence",),
}
# Columns of ids, hashes, codes and categories: never personal data, and must stay exact.
MACHINE_COLUMNS = frozenset(
    {
        "sha256",
        "status",
        "format",
        "encoding",
        "extraction",
        "kind",
        "stance",
        "sender_kind",
        "code",
        "codes",
        "likely",
        "cited",
        "plan_version",
        "rule",
        "sender_evidence",
        "measures",
        "measure_items",
        "machine_stance",
        "machine_sender_kind",
        "machine_likely",
        "checked",
    }
)
ID_COLUMNS = frozenset({"representative_list"})  # comment ids under another name (as are *_id, *_ids, *_id_list)
ID_SUFFIXES = ("_id", "_ids", "_id_list")
PLAN_TABLES = frozenset({"measures"})  # the city's own plan text, not what responses say
LISTS = (list, tuple, np.ndarray)  # a cell of a column of lists (an array when read from Parquet)
ATTRIBUTION_RE = re.compile(r"^(?P<quote>.*»)(?P<gap>\s*)\((?P<sender>.*), (?P<cid>[^,\s()]+)\)(?P<tail>\s*)$")


# --- private persons --------------------------------------------------------------------------
def is_private_person(sender: str) -> bool:
    """Whether a sender reads as a private individual's name: 2–4 capitalised name words (particles
    such as "van" allowed between them), no digits, no acronym and no organisation word; a name in
    capitals counts, and what follows a comma (a role: «, sykepleier og mor») is left out."""
    sender = sender.split(",")[0].strip()  # «Kari Nordmann, sykepleier og mor»
    if sender.isupper():  # «KARI NORDMANN» in a signature
        sender = sender.title()
    words = sender.split()
    if not words or any(ch.isdigit() for ch in sender):
        return False
    if words[0] in NAME_PARTICLES or words[-1] in NAME_PARTICLES:
        return False
    names = [w for w in words if w not in NAME_PARTICLES]
    if len(words) - len(names) > 2 or not MIN_NAME_WORDS <= len(names) <= MAX_NAME_WORDS:
        return False
    return all(_is_name_word(w) for w in names) and not _is_initial(names[-1])


def _is_name_word(word: str) -> bool:
    if _is_initial(word):
        return True
    if not _NAME_WORD_RE.fullmatch(word) or word.isupper():
        return False  # not capitalised, or an acronym such as FO, NAV, KORUS
    return not _is_organisation_word(word.lower())


def _is_initial(word: str) -> bool:
    return bool(_INITIAL_RE.fullmatch(word))


def _is_organisation_word(word: str) -> bool:
    parts = [word, *word.split("-")]
    return any(p in ORGANISATION_WORDS or p.endswith(ORGANISATION_SUFFIXES) for p in parts)


# --- masking tables ---------------------------------------------------------------------------
def mask_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Masked copies of a round's tables for the shared outputs; the input frames are not changed.

    Private senders become ``Privatperson N`` (numbered in order of response id) in every sender
    column, comma-separated sender list and quote attribution, and in response ids and file names;
    then every text column but ids, hashes, codes and categories (:data:`MACHINE_COLUMNS`) goes through
    :func:`mask_text` with the private persons' names, senders and file names included. Columns of
    lists and of records are masked value by value, as their string twins are.
    """
    pseudonyms = private_pseudonyms(tables)
    names = _names_of(pseudonyms)
    masked_text = lru_cache(maxsize=None)(lambda s: mask_text(s, names))  # a text recurs in many cells
    masked: dict[str, pd.DataFrame] = {}
    for table, frame in tables.items():
        frame = frame.copy()
        _map_columns(frame, SENDER_COLUMNS.get(table, ()), lambda s: pseudonyms.get(_normal(s), s))
        _map_columns(frame, SENDER_LIST_COLUMNS.get(table, ()), lambda s: _pseudonymise_list(s, pseudonyms))
        _map_columns(frame, ATTRIBUTED_COLUMNS.get(table, ()), lambda s: _mask_attributed(s, pseudonyms))
        _map_columns(frame, SENDER_NAMING_COLUMNS.get(table, ()), lambda s: _pseudonymise_names(s, pseudonyms))
        _map_columns(frame, FREE_TEXT_COLUMNS.get(table, ()), masked_text)
        masked[table] = frame
    masked = _pseudonymise_ids(masked, tables.get("responses"), pseudonyms)
    for table, frame in masked.items():  # and every other text column: senders, file names, labels, evidence …
        if table not in PLAN_TABLES:
            text_columns = [c for c in frame.columns if _is_text_column(frame, c)]
            _map_columns(frame, text_columns, masked_text, fields=_is_text_name)
    return masked


def _is_text_column(frame: pd.DataFrame, column: str) -> bool:
    """A column of free text that may hold personal data: not an id, hash, code or category."""
    if not _is_text_name(column):
        return False
    return pd.api.types.is_string_dtype(frame[column]) or pd.api.types.is_object_dtype(frame[column])


def _is_text_name(name: str) -> bool:
    """Whether a column or a record's field may hold free text: it names no id, hash, code or category."""
    return name not in MACHINE_COLUMNS and name not in ID_COLUMNS and not name.endswith(ID_SUFFIXES)


def _pseudonymise_ids(
    tables: dict[str, pd.DataFrame], responses: pd.DataFrame | None, pseudonyms: Mapping[str, str]
) -> dict[str, pd.DataFrame]:
    """Private persons' response ids and file names (``hilde-moen``, ``hilde-moen.txt``) carry their
    names: in every string column they become ``privatperson-N`` (comment ids ``privatperson-N-003``).

    Args:
        tables: the masked tables (changed in place and returned).
        responses: the unmasked responses table (its senders say whose response is whose).
    """
    if responses is None or not pseudonyms or "response_id" not in responses:
        return tables
    replacements: dict[str, str] = {}
    for row in responses.itertuples(index=False):
        pseudonym = pseudonyms.get(_normal(str(row.sender or "")))
        if pseudonym:
            slug = pseudonym.lower().replace(" ", "-")
            replacements[str(row.response_id)] = slug
            if getattr(row, "source_file", None):
                source = str(row.source_file)
                replacements[source] = slug + (Path(source).suffix if "." in source else "")
    if not replacements:
        return tables
    pattern = re.compile(
        r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(replacements, key=len, reverse=True))) + r")(?![\w.]|-[^\d])"
    )
    for frame in tables.values():
        columns = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) or _holds_lists(frame[c])]
        _map_columns(
            frame,
            columns,
            lambda s: pattern.sub(lambda m: replacements[m.group(1)], s),
            fields=lambda name: name not in MACHINE_COLUMNS,
        )
    return tables


def _holds_lists(column: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(column) and any(isinstance(v, LISTS) for v in column)


def private_pseudonyms(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``Privatperson N`` for each private sender, numbered in order of their first response id."""
    source = tables.get("responses")
    if source is None or "sender" not in source:
        source = tables.get("comments")
    if source is None or "sender" not in source or "response_id" not in source:
        return {}
    kinds = (
        source["sender_kind"].fillna("").astype(str)
        if "sender_kind" in source
        else pd.Series([""] * len(source), index=source.index)
    )
    triples = sorted(
        zip(source["response_id"].astype(str), source["sender"].fillna("").astype(str), kinds),
        key=lambda triple: _natural_key(triple[0]),
    )
    private = dict.fromkeys(_normal(s) for _, s, kind in triples if _writes_for_themself(s, kind))
    return {name: PSEUDONYM.format(i) for i, name in enumerate(private, 1)}


def private_names(tables: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """The private persons' names to mask in text (:func:`mask_text`), from the round's senders."""
    return _names_of(private_pseudonyms(tables))


def _names_of(pseudonyms: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.split(",")[0].strip() for n in pseudonyms))  # «Kari Nordmann, sykepleier»


def _writes_for_themself(sender: str, kind: str) -> bool:
    """A private person: the sender finder's kind where it is known (an organisation is never
    pseudonymised, whoever signs for it), else a sender that reads as a person's name."""
    if kind in ("organisation", "person"):
        return kind == "person"
    return is_private_person(sender)


def _normal(name: str) -> str:
    """A name with single spaces between its words, in lower case: «KARI  Nordmann» is «kari nordmann»."""
    return " ".join(name.split()).casefold()


def _natural_key(text: str) -> list:
    """r2 before r10."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p]


def _map_columns(
    frame: pd.DataFrame,
    columns: Iterable[str],
    fn: Callable[[str], str],
    fields: Callable[[str], bool] = lambda name: True,
) -> None:
    """Apply ``fn`` to the non-missing values of ``columns`` in place, keeping each column's dtype.

    In a column of lists ``fn`` applies to each string, and in a list of records to the text fields
    that ``fields`` accepts; ``column.field`` names only that field of a column of records.
    """
    for name in columns:
        column, _, field = name.partition(".")
        if column in frame:
            accept = (lambda key, field=field: key == field) if field else fields
            dtype = frame[column].dtype
            frame[column] = frame[column].map(lambda v, accept=accept: _map_cell(v, fn, accept)).astype(dtype)


def _map_cell(value: Any, fn: Callable[[str], str], fields: Callable[[str], bool]) -> Any:
    """``fn`` on a cell: a text, each value of a list, the accepted text ``fields`` of a record; a new
    value, the cell itself is not changed."""
    if isinstance(value, dict):
        return {k: fn(v) if isinstance(v, str) and fields(k) else v for k, v in value.items()}
    if isinstance(value, LISTS):
        return [_map_cell(v, fn, fields) for v in value]
    return value if pd.isna(value) else fn(str(value))


def _pseudonymise_list(senders: str, pseudonyms: Mapping[str, str]) -> str:
    return LIST_SEPARATOR.join(pseudonyms.get(_normal(s), s) for s in senders.split(LIST_SEPARATOR))


def _mask_attributed(lines: str, pseudonyms: Mapping[str, str]) -> str:
    """Mask «text» (sender, comment id) lines: the sender pseudonymised, the text masked."""
    return "\n".join(_mask_attributed_line(line, pseudonyms) for line in lines.split("\n"))


def _mask_attributed_line(line: str, pseudonyms: Mapping[str, str]) -> str:
    names = _names_of(pseudonyms)
    m = ATTRIBUTION_RE.match(line)
    if m is None:
        return mask_text(line, names)
    sender = pseudonyms.get(_normal(m.group("sender")), m.group("sender"))
    return f"{mask_text(m.group('quote'), names)}{m.group('gap')}({sender}, {m.group('cid')}){m.group('tail')}"


def _pseudonymise_names(text: str, pseudonyms: Mapping[str, str]) -> str:
    """Replace private senders' full names by their pseudonyms (where a text lists senders)."""
    if not pseudonyms:
        return text
    pattern = _full_names_pattern(tuple(pseudonyms))
    return pattern.sub(lambda m: pseudonyms[_normal(m.group())], text)


@lru_cache(maxsize=16)
def _full_names_pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)
