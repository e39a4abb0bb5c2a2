"""Rows of the contract tables for hand-built fixture rounds (the report, workbook and notat tests)."""

from __future__ import annotations

STANCES = ("support", "critique", "proposal", "question", "neutral")


def response_row(
    rid: str, file: str, sender: str, fmt: str | None = None, status: str = "ok", error: str = "", n: int = 0
) -> dict:
    """A ``responses`` row; a pdf has two pages and one correction."""
    fmt = fmt or file.rsplit(".", 1)[1]
    return {
        "response_id": rid,
        "source_file": file,
        "sha256": "0" * 64,
        "sender": sender,
        "format": fmt,
        "status": status,
        "error": error,
        "n_comments": n,
        "encoding": "utf-8" if fmt == "txt" else "",
        "pages": 2 if fmt == "pdf" else None,
        "n_corrections": 1 if fmt == "pdf" else 0,
        "extraction": {"txt": "text", "pdf": "pdf-text"}.get(fmt, fmt) if status == "ok" else "",
        "campaign_id": "",
    }


def comment_row(
    cid: str,
    sender: str,
    text: str,
    theme: int,
    stance: str = "neutral",
    section: str = "",
    paragraph: int | None = None,
) -> dict:
    """A ``comments`` row with id ``<response_id>-<position>`` (paragraph: its position, unless given)."""
    rid, pos = cid.rsplit("-", 1)
    return {
        "comment_id": cid,
        "response_id": rid,
        "sender": sender,
        "section": section,
        "text": text,
        "theme_id": theme,
        "kind": "paragraph",
        "position": int(pos),
        "char_start": 0,
        "char_end": len(text),
        "lead_in": "",
        "stance": stance,
        "stance_confidence": 0.9 if stance != "neutral" else 0.5,
        "paragraph": int(pos) if paragraph is None else paragraph,
    }


def mention_row(
    cid: str, code: str, valid: bool = True, kind: str = "explicit", score: float = 1.0, likely: str = ""
) -> dict:
    """A ``mentions`` row; a drifted code (``likely``) has a drift score of 1."""
    return {
        "comment_id": cid,
        "code": code,
        "kind": kind,
        "valid": valid,
        "score": score,
        "evidence": code,
        "likely": likely,
        "drift_score": 1.0 if likely else 0.0,
    }


def correction_row(rid: str, line: int, original: str, corrected: str, rule: str, confidence: float) -> dict:
    """A ``corrections`` row: one OCR change."""
    return {
        "response_id": rid,
        "line": line,
        "original": original,
        "corrected": corrected,
        "rule": rule,
        "confidence": confidence,
    }


def stance_counts(*counts: int) -> dict:
    """n_support … n_neutral, in that order."""
    return {f"n_{s}": n for s, n in zip(STANCES, counts, strict=True)}
