"""Write a round's report for readers: ``rapport.html``, one self-contained HTML file.

The report opens offline in any browser: inline CSS, no scripts, no external links or fonts. All
text comes from the responses and is untrusted; the template autoescapes it, so it is always shown
as text, never read as markup. It holds

- the overview: files received, read and failed, comments, measures commented on, themes, and the
  comments' stances;
- a bar chart of comments per measure, each bar split by stance;
- a heat map of responses × measures: how many of each response's comments mention each measure;
- every measure, and for each commented one its summary, stances, key points and quotes with sources;
- the themes with their stances and representative comments;
- invalid codes, codes that seem to follow the draft's numbering, unreadable files and uncertain
  OCR changes, for the secretariat to check.

Example:
    >>> write_report(out_dir / "rapport.html", round_name="Rusmiddelpolitisk handlingsplan", **tables)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.nb.stances import STANCES, UNKNOWN, StanceName
from pipeline.outputs.cells import listed, number, split, strings, typed_cells
from pipeline.outputs.counts import RoundCounts, round_counts
from pipeline.summaries.per_measure import attributed, effective_codes, source_of
from pipeline.tables import atomic_write

TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = "report.html.j2"
LOW_CONFIDENCE = 0.8
MAX_CORRECTIONS = 200
TEXT_EXCERPT = 160

# A segment shows its count when it is at least this share (percent) of the chart's width, plus
# this much per extra digit; narrower ones show it on hover (title) only.
LABEL_MIN_PCT, LABEL_PCT_PER_DIGIT = 3.0, 1.2
HEAT_MIN_ALPHA, HEAT_MAX_ALPHA, HEAT_LIGHT_TEXT = 0.1, 0.85, 0.5


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
    removed: list[dict] | None = None,
) -> Path:
    """Write ``rapport.html``: one HTML file with inline CSS that opens offline in any browser.

    Args:
        path: where to write it.
        round_name: the round, shown in the title.
        measure_summary, comments, mentions, themes, responses, corrections: the round's contract
            tables (:mod:`pipeline.tables`).
        theme_checks: the themes' guard-rail findings, shown with the themes.
        removed: the responses of the last run whose file is gone (the manifest's ``removed``).

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
    env.filters["tall"] = number
    context = _report_context(measure_summary, comments, mentions, themes, responses, corrections)
    html = env.get_template(REPORT_TEMPLATE).render(
        round_name=round_name, theme_checks=theme_checks or [], removed=removed or [], **context
    )
    return atomic_write(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


def _report_context(
    summary: pd.DataFrame,
    comments: pd.DataFrame,
    mentions: pd.DataFrame,
    themes: pd.DataFrame,
    responses: pd.DataFrame,
    corrections: pd.DataFrame,
) -> dict[str, Any]:
    """What the template shows, section by section."""
    text_of = dict(zip(strings(comments["comment_id"]), strings(comments["text"])))
    sender_of = dict(zip(strings(comments["comment_id"]), strings(comments["sender"])))
    measures = _measures(summary)
    commented = [m for m in measures if m["n_comments"] > 0]
    top = max((m["n_comments"] for m in commented), default=1)
    for m in commented:
        m["width"] = f"{max(100 * m['n_comments'] / top, 1):.1f}"
        m["segments"] = _segments(m, 100 * m["n_comments"] / top)
    counted = _counted_mentions(mentions, comments, {m["code"] for m in commented})
    unsure = corrections[corrections["confidence"] < LOW_CONFIDENCE]
    counts = round_counts({"responses": responses, "comments": comments, "measure_summary": summary, "themes": themes})
    return {
        "figures": _figures(counts),
        **_stance_overview(strings(comments["stance"]), commented),
        "measures": measures,
        "commented": commented,
        "heat": _heat_map(counted, commented, responses),
        "themes": _theme_rows(themes, text_of, sender_of),
        "invalid": _flagged(mentions[~mentions["valid"].astype(bool)], text_of, sender_of),
        "drift": _flagged(mentions[mentions["likely"].fillna("") != ""], text_of, sender_of),
        "errors": _failed_files(responses),
        "corrections": _uncertain_corrections(unsure),
        "n_uncertain": len(unsure),
        "low_confidence": str(LOW_CONFIDENCE).replace(".", ","),
    }


def _figures(counts: RoundCounts) -> list[tuple[str, str]]:
    """The overview's figures; copies of other responses apart, so that read + errors + copies = received."""
    figures = [
        ("Filer mottatt", number(counts.received)),
        ("Filer lest", number(counts.read)),
        ("Filer med lesefeil", number(counts.errors)),
        ("Kommentarer", number(counts.comments)),
        ("Kommentarer som nevner et tiltak", number(counts.comments_with_measure)),
        ("Tiltak med kommentarer", f"{number(counts.measures_commented)} av {number(counts.measures)}"),
        ("Temaer", number(counts.themes)),
    ]
    if counts.duplicates:
        figures.insert(3, ("Kopier av andre svar", number(counts.duplicates)))
    return figures


def _stance_overview(stance_of: list[str], commented: list[dict[str, Any]]) -> dict[str, Any]:
    """The comments' stances for the overview, and the chart's legend («uten holdning» where a bar has it)."""
    totals = _stance_counts([stance_of.count(s.key) for s in STANCES])
    unknown = len(stance_of) - sum(s["n"] for s in totals)
    if unknown:
        totals.append(_stance(UNKNOWN, unknown))
    unknown_in_bars = any(g["key"] == UNKNOWN.key for m in commented for g in m["segments"])
    legend = [_stance(s, 0) for s in (*STANCES, UNKNOWN) if s in STANCES or unknown_in_bars]
    return {"stance_totals": totals, "stance_legend": legend}


def _theme_rows(themes: pd.DataFrame, text_of: dict[str, str], sender_of: dict[str, str]) -> list[dict[str, Any]]:
    """Each theme with its stances and representative comments, largest first."""
    rows = [
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
            "stances": _stance_counts(stances),
            "examples": [{"text": text_of[c], "sender": sender_of.get(c, "")} for c in reps if c in text_of],
            "reviewed": bool(reviewed),
            "note": str(note or ""),
        }
        for (
            theme_id,
            label,
            phrases,
            keywords,
            size,
            n,
            voices,
            campaigns,
            codes,
            senders,
            reps,
            reviewed,
            note,
            *stances,
        ) in zip(
            themes["theme_id"],
            strings(themes["label"]),
            strings(themes["phrases"]),
            strings(themes["keywords"]),
            themes["size"],
            themes["n_responses"],
            themes["n_voices"],
            strings(themes["campaigns"]),
            strings(themes["measures"]),
            strings(themes["senders"]),
            listed(themes, "representative_list", "representatives", ","),
            themes["reviewed"] if "reviewed" in themes else [False] * len(themes),
            strings(themes["note"]) if "note" in themes else [""] * len(themes),
            *(themes[s.column] for s in STANCES),
        )
    ]
    return sorted(rows, key=lambda t: -t["size"])


def _flagged(mentions: pd.DataFrame, text_of: dict[str, str], sender_of: dict[str, str]) -> list[dict[str, Any]]:
    """Mentions for the secretariat to check (a code the plan lacks, a drifted code), with the comment's start."""
    return [
        {
            "code": code,
            "likely": likely,
            "comment_id": cid,
            "sender": sender_of.get(cid, ""),
            "excerpt": _excerpt(text_of.get(cid, ""), 200),
        }
        for code, likely, cid in zip(
            strings(mentions["code"]), strings(mentions["likely"]), strings(mentions["comment_id"])
        )
    ]


def _failed_files(responses: pd.DataFrame) -> list[dict[str, str]]:
    failed = responses[
        pd.Series([s == "error" for s in strings(responses["status"])], index=responses.index, dtype=bool)
    ]
    return [
        {"file": f, "sender": s, "error": e}
        for f, s, e in zip(strings(failed["source_file"]), strings(failed["sender"]), strings(failed["error"]))
    ]


def _uncertain_corrections(unsure: pd.DataFrame) -> list[dict[str, Any]]:
    """OCR changes below ``LOW_CONFIDENCE``, at most ``MAX_CORRECTIONS`` of them."""
    return [
        {
            "response_id": rid,
            "line": int(line),
            "original": o,
            "corrected": c,
            "rule": rule,
            "confidence": f"{conf:.2f}".replace(".", ","),
        }
        for rid, line, o, c, rule, conf in zip(
            strings(unsure["response_id"]),
            unsure["line"],
            strings(unsure["original"]),
            strings(unsure["corrected"]),
            strings(unsure["rule"]),
            unsure["confidence"],
        )
    ][:MAX_CORRECTIONS]


def _measures(summary: pd.DataFrame) -> list[dict[str, Any]]:
    """Every measure with its counts, stances, summary, key points and quotes with their sources."""
    rows = []
    for code, text, n, r, senders, text_summary, points, quotes, *stances in zip(
        strings(summary["code"]),
        strings(summary["text"]),
        summary["n_comments"],
        summary["n_responses"],
        strings(summary["senders"]),
        strings(summary["summary"]),
        listed(summary, "key_point_items", "key_points", "\n", attributed),
        _quotes(summary),
        *(summary[s.column] for s in STANCES),
    ):
        rows.append(
            {
                "code": code,
                "anchor": _anchor(code),
                "text": text,
                "short": _excerpt(text, TEXT_EXCERPT),
                "n_comments": int(n),
                "n_responses": int(r),
                "senders": senders,
                "stances": _stance_counts(stances),
                "summary": text_summary.strip(),
                "key_points": points,
                "quotes": quotes,
            }
        )
    for row, checked in zip(rows, summary["n_checked"] if "n_checked" in summary else []):
        row["n_checked"] = int(checked)  # comments whose link or stance a person checked (review app)
    return rows


def _quotes(summary: pd.DataFrame) -> list[list[dict[str, str]]]:
    """Each measure's quotes with their sources, from ``quote_items``; where a row has none (an older
    run's table), from the ``quotes`` and ``sources`` lines, line by line."""
    found = []
    for quoted, quotes, sources in zip(
        typed_cells(summary, "quote_items"), strings(summary["quotes"]), strings(summary["sources"])
    ):
        if quoted is not None:
            found.append(
                [{"text": attributed(q), "source": source_of(q["file"], q["paragraph"]).strip()} for q in quoted]
            )
            continue
        source_lines = [line.strip() for line in sources.split("\n")] if sources.strip() else []
        found.append(
            [
                {"text": q, "source": source_lines[i] if i < len(source_lines) else ""}
                for i, q in enumerate(split(quotes, "\n"))
            ]
        )
    return found


def _segments(measure: dict[str, Any], bar_pct: float) -> list[dict[str, Any]]:
    """A bar's stance segments: width in percent of the bar, a title, and the count where it fits."""
    parts = [s for s in measure["stances"] if s["n"] > 0]
    rest = measure["n_comments"] - sum(s["n"] for s in parts)
    if rest > 0:  # comments without a stance (older tables) still fill their bar
        parts.append(_stance(UNKNOWN, rest))
    total = sum(s["n"] for s in parts) or 1
    segments = []
    for s in parts:
        width = 100 * s["n"] / total
        digits = len(str(s["n"]))
        segments.append(
            {
                **s,
                "width": f"{width:.1f}",
                "title": f"{measure['code']}: {s['n']} {s['word']}",
                "show": bar_pct * width / 100 >= LABEL_MIN_PCT + LABEL_PCT_PER_DIGIT * (digits - 1),
            }
        )
    return segments


def _counted_mentions(mentions: pd.DataFrame, comments: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    """One row per (comment, measure) a comment counts for: its response and the measure's code.

    A drifted code counts for its likely measure (as in ``measure_summary``); only ``codes`` count.
    """
    effective = effective_codes(mentions.assign(likely=mentions["likely"].fillna("")))
    hits = pd.DataFrame({"comment_id": strings(mentions["comment_id"]), "code": strings(effective)})
    hits = hits[hits["code"].isin(codes)].drop_duplicates()
    response_of = dict(zip(strings(comments["comment_id"]), strings(comments["response_id"])))
    hits = hits[hits["comment_id"].isin(response_of)]
    return hits.assign(response_id=[response_of[c] for c in hits["comment_id"]])


def _heat_map(counted: pd.DataFrame, commented: list[dict[str, Any]], responses: pd.DataFrame) -> dict[str, Any]:
    """Responses × measures: how many of each response's comments mention each measure."""
    counts = counted.groupby(["response_id", "code"]).size().to_dict()
    peak = max(counts.values(), default=1)
    sender_of = dict(zip(strings(responses["response_id"]), strings(responses["sender"])))
    order = list(dict.fromkeys([*strings(responses["response_id"]), *counted["response_id"]]))
    present = set(counted["response_id"])
    codes = [m["code"] for m in commented]
    rows = []
    for rid in (r for r in order if r in present):
        sender = sender_of.get(rid, "") or rid
        cells = []
        for code in codes:
            n = int(counts.get((rid, code), 0))
            alpha = max(HEAT_MAX_ALPHA * n / peak, HEAT_MIN_ALPHA) if n else 0.0
            cells.append(
                {
                    "n": n,
                    "alpha": f"{alpha:.2f}",
                    "light": alpha >= HEAT_LIGHT_TEXT,
                    "title": f"{sender}, {code}: {n} {'kommentar' if n == 1 else 'kommentarer'}",
                }
            )
        rows.append({"response_id": rid, "sender": sender, "cells": cells})
    return {"codes": [(m["code"], m["anchor"]) for m in commented], "rows": rows}


def _stance_counts(counts: list[Any]) -> list[dict[str, Any]]:
    """The five stances with their counts, in chart order."""
    return [_stance(s, int(n)) for s, n in zip(STANCES, counts)]


def _stance(stance: StanceName, n: int) -> dict[str, Any]:
    return {"key": stance.key, "label": stance.heading, "word": stance.word, "n": n}


def _anchor(code: str) -> str:
    return "tiltak-" + re.sub(r"[^A-Za-z0-9_-]", "-", code)


def _excerpt(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary near ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,.;:") + " …"
