"""A document's words as the OCR repair sees them, and the text put back together from them.

Each :class:`Token` is one word on one line: where it is, whether it begins a sentence, what OCR
read and what the repair makes of it. URLs, e-mail addresses, file names and abbreviations are not
tokens, so no repair ever touches them; :func:`assemble` writes the repaired words back into the
same lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_BEFORE, CONTEXT_AFTER = 3, 8  # words of context for real-word decisions
SENTENCE_END = ".!?:"

WORD_RE = re.compile(r"[\w@|&]+", re.UNICODE)
PROTECTED_RE = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w-]+\.(?:pdf|docx?|odt|xlsx?|no|com|org|net)\b",  # file and domain names
    re.IGNORECASE,
)
ABBREVIATION_RE = re.compile(
    r"(?<![\w.])(?:[^\W\d_]{1,4}\.){2,}"  # letters and dots: bl.a., m.a., o.a., f.eks., t.o.m.
    r"|(?<![\w.])[^\W\d_][a-zæøå]{0,3}\.(?=[ \t]+[a-zæøå\d§(])"  # jf., ca., evt. inside a sentence
)


@dataclass
class Token:
    """One word of a document, as read and as repaired."""

    line: int  # 0-based
    start: int
    end: int
    text: str  # as read
    at_start: bool  # begins a sentence
    fixed: str = ""
    rule: str = ""
    confidence: float = 0.0
    added: tuple[str, float] | None = None  # its reading with added diacritics undone (dé → de), if other

    def __post_init__(self) -> None:
        self.fixed = self.fixed or self.text


def tokenise(number: int, line: str, sentence_start: bool) -> list[Token]:
    """The words of line ``number``; ``sentence_start``: the line begins a sentence."""
    protected = [m.span() for regex in (PROTECTED_RE, ABBREVIATION_RE) for m in regex.finditer(line)]
    tokens: list[Token] = []
    previous_end = 0
    for m in WORD_RE.finditer(line):
        if any(a <= m.start() < b for a, b in protected):
            continue
        at_start = sentence_start if not tokens else any(c in SENTENCE_END for c in line[previous_end : m.start()])
        tokens.append(Token(number, m.start(), m.end(), m.group(), at_start))
        previous_end = m.end()
    return tokens


def sentence_context(tokens: list[Token], i: int) -> tuple[list[str], list[str]]:
    """The repaired words before and after token i, within its sentence."""
    before: list[str] = []
    j = i
    while j > 0 and not tokens[j].at_start and len(before) < CONTEXT_BEFORE:
        j -= 1
        before.insert(0, tokens[j].fixed)
    after: list[str] = []
    for t in tokens[i + 1 : i + 1 + CONTEXT_AFTER]:
        if t.at_start:
            break
        after.append(t.fixed)
    return before, after


def assemble(lines: list[str], tokens: list[Token]) -> str:
    """The lines with every changed token's repaired text in its place."""
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        if t.fixed != t.text:
            by_line.setdefault(t.line, []).append(t)
    out = list(lines)
    for number, changed in by_line.items():
        line, pieces, last = lines[number], [], 0
        for t in changed:
            pieces += [line[last : t.start], t.fixed]
            last = t.end
        out[number] = "".join(pieces) + line[last:]
    return "\n".join(out)
