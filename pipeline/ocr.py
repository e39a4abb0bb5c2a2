"""OCR character repair for Norwegian text: lines stay as they are, only mis-read characters change.

Text OCR'd with an English model loses the Norwegian letters: ``økt`` comes out as ``gkt``,
``høringen`` as ``hgringen``, ``på`` as ``pa``, ``I`` as ``|``. The repair is decided by the lexicon
(:mod:`pipeline.lexicon`), never by a list of known words:

1. a word the Norwegian dictionary does not know is rewritten with the confusion table below, one to
   three substitutions, and replaced by the most plausible candidate the dictionary does know;
2. lone symbols are read in context: ``&``/``8``/``3`` before an infinitive is ``å``, a lone ``a``
   between Norwegian words is ``å``, a lone ``|`` is ``I``;
3. bullet glyphs at the start of a line (``¢``, ``e``, ``o``) become ``•``.

Names in capitals, codes (``7S``), numbers, URLs and e-mail addresses are never touched. Real words
that are also damaged forms (``far`` for ``før``) are left alone here: they need context.

Example:
    >>> repair_text("| dette hgringssvaret gir vi vare innspill pa disse omradene").text
    'I dette høringssvaret gir vi vare innspill på disse områdene'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from pipeline import lexicon

# (as read by OCR, what it may have been), lower case. Multi-letter sources first.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("ae", "æ"), ("ee", "æ"), ("ze", "æ"), ("ae", "ø"), ("ag", "ø"), ("eg", "ø"),
    ("rn", "m"),
    ("g", "ø"), ("e", "ø"), ("o", "ø"), ("p", "ø"), ("a", "ø"), ("s", "ø"), ("@", "ø"), ("0", "ø"),
    ("ó", "ø"),
    ("a", "å"), ("é", "å"), ("d", "å"), ("8", "å"), ("&", "å"), ("3", "å"), ("@", "å"),
    ("z", "æ"), ("e", "æ"), ("a", "æ"),
    ("|", "i"), ("|", "l"), ("i", "j"), ("i", "l"), ("o", "b"), ("c", "e"),
)
MAX_EDITS = 3
MAX_SITES = 28  # words with more possible substitutions than this are left alone (too many readings)
KNOWN_ZIPF = 3.0  # a word the dictionary lacks still counts as known when it is this frequent
KNOWN_COMPOUND = 2.0  # an unreadable word may become a compound of common words scoring this much
ATTESTED_BONUS = 2.0  # being seen as a whole word counts more than a compound reading
JOINT_COST = 1.0  # each joint in a compound reading costs this much plausibility
MIN_PART, MIN_PART_ZIPF = 3, 1.0  # parts of a compound: at least 3 letters, seen as words
EDIT_COST = 0.5  # each substitution costs this much plausibility when candidates compete
MIN_GAIN = 1.5  # a word is replaced only by a candidate this much more plausible
MIN_GAIN_OVER_COMPOUND = 1.0  # ... or this much, where the word itself is only a compound reading
SHORT_WORD, SHORT_WORD_ZIPF = 3, 4.0  # words this short are only read as common dictionary words
ENGLISH_MARGIN = 1.0

WORD_RE = re.compile(r"[\w@|&]+", re.UNICODE)
PROTECTED_RE = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\b[\w-]+\.(?:pdf|docx?|odt|xlsx?|no|com|org|net)\b",  # file and domain names
    re.IGNORECASE,
)
BULLET_RE = re.compile(r"^(\s*)([¢•●▪◦■□➢►·*]|[eo](?=\s+[A-ZÆØÅ|]))(\s+)")
LONE_AA = {"&", "8", "3", "d", "é"}  # lone symbols that stand for "å" before an infinitive


@dataclass(frozen=True)
class Correction:
    """One change to the text, for the audit log."""

    line: int  # 1-based line number
    original: str
    corrected: str
    rule: str
    confidence: float


@dataclass
class Repaired:
    """Repaired text (same lines as the input) with the list of changes made."""

    text: str
    corrections: list[Correction] = field(default_factory=list)


def repair_text(text: str) -> Repaired:
    """Repair OCR-damaged characters; the result has exactly the same lines as ``text``."""
    lines = text.split("\n")
    out: list[str] = []
    corrections: list[Correction] = []
    sentence_start = True
    for number, line in enumerate(lines, start=1):
        following = next((m.group() for m in WORD_RE.finditer(lines[number])), "") if number < len(lines) else ""
        fixed, changes = repair_line(line, sentence_start=sentence_start, next_word=following)
        out.append(fixed)
        corrections.extend(Correction(number, *c) for c in changes)
        stripped = fixed.strip()
        if stripped:
            sentence_start = stripped[-1] in ".!?:"
        else:
            sentence_start = True
    return Repaired("\n".join(out), corrections)


def repair_line(
    line: str, *, sentence_start: bool = False, next_word: str = ""
) -> tuple[str, list[tuple[str, str, str, float]]]:
    """Repair one line. Returns the line and its changes as (original, corrected, rule, confidence).

    ``next_word`` is the first word of the next line, context for a lone symbol at the line's end.
    """
    changes: list[tuple[str, str, str, float]] = []
    bullet = BULLET_RE.match(line)
    if bullet and bullet.group(2) != "•":
        changes.append((bullet.group(2), "•", "bullet", 0.9))
        line = f"{bullet.group(1)}•{bullet.group(3)}{line[bullet.end():]}"
        sentence_start = True

    protected = [m.span() for m in PROTECTED_RE.finditer(line)]
    tokens = [
        m for m in WORD_RE.finditer(line)
        if not any(a <= m.start() < b for a, b in protected)
    ]
    words = [m.group() for m in tokens]
    starts = [
        sentence_start if i == 0 else _ends_sentence(line, tokens[i - 1].end(), m.start())
        for i, m in enumerate(tokens)
    ]
    # pass 1: non-words, one at a time
    fixed = list(words)
    rules: list[tuple[str, float] | None] = [None] * len(words)
    for i, word in enumerate(words):
        if _is_english_context(words, i):
            continue
        best = repair_word(word, at_start=starts[i])
        if best:
            fixed[i], rules[i] = best[0], ("lexicon", best[1])
    # pass 2: lone symbols, read with their (repaired) neighbours
    for i in range(len(words)):
        if not rules[i]:
            symbol = _repair_symbol(fixed + [next_word], i, starts[i])
            if symbol:
                fixed[i], rules[i] = symbol

    pieces, last = [], 0
    for m, new, rule in zip(tokens, fixed, rules):
        pieces.append(line[last:m.start()])
        pieces.append(new)
        last = m.end()
        if rule and new != m.group():
            changes.append((m.group(), new, rule[0], rule[1]))
    pieces.append(line[last:])
    return "".join(pieces), changes


def repair_word(word: str, *, at_start: bool = True) -> tuple[str, float] | None:
    """Best dictionary word for an unknown OCR'd word, with a confidence; None to leave it alone.

    ``at_start``: the word begins a sentence, so a symbol read for its first letter (``@kt``) is a
    capital; elsewhere it is lower case unless only the capitalised word exists (``@stensjg``).
    """
    if not _is_candidate_token(word):
        return None
    return _repair_lower_and_case(word, at_start)


@lru_cache(maxsize=100_000)
def _repair_lower_and_case(word: str, at_start: bool) -> tuple[str, float] | None:
    if lexicon.is_word(word) and lexicon.zipf(word) > 0:
        return None  # a real, attested word: if it is a damaged form, only context can tell
    own = plausibility(word)
    scored: dict[str, tuple[int, float]] = {}
    max_edits = 1 if len(word) <= SHORT_WORD + 1 else MAX_EDITS
    for edits, candidate in _candidates(word.lower(), max_edits):
        cased = _restore_case(word, candidate)
        if word[0] in "@|" and not at_start and _is_known(candidate):
            cased = candidate
        if cased in scored or cased == word:
            continue
        score = plausibility(cased)  # cheap: frequency tables only
        if score is None:
            continue
        if score < KNOWN_COMPOUND and not (lexicon.zipf(cased) >= KNOWN_ZIPF or lexicon.is_word(cased)):
            continue  # neither in the dictionary nor a well-formed compound of common words
        if len(cased) <= SHORT_WORD and not (lexicon.is_word(cased) and lexicon.zipf(cased) >= SHORT_WORD_ZIPF):
            continue  # short words have too many readings: only common dictionary words
        scored[cased] = (edits, score)
    if not scored:
        return None
    best = max(scored, key=lambda c: scored[c][1] - EDIT_COST * scored[c][0])
    needed = MIN_GAIN if lexicon.zipf(word) > 0 else MIN_GAIN_OVER_COMPOUND
    if own is not None and scored[best][1] - own < needed:
        return None
    return best, _confidence(best, scored)


def plausibility(word: str) -> float | None:
    """How plausible a spelling is as Norwegian: attested frequency, else the weakest part of a compound.

    A word seen in the frequency list scores its Zipf value plus a bonus; an unseen word scores as its
    best split into known parts (``levevane|kurs``), one point less per joint; None when it has no
    reading at all.
    """
    z = lexicon.zipf(word)
    if z > 0:
        return z + ATTESTED_BONUS
    return _compound_score(word.lower())


@lru_cache(maxsize=200_000)
def _compound_score(low: str, parts_left: int = 4) -> float | None:
    """Best min-part score of a split of ``low`` into known words (linking -s/-e allowed)."""
    best = None
    whole = _part_score(low)
    if whole is not None:
        best = whole
    if parts_left > 1:
        for cut in range(MIN_PART, len(low) - MIN_PART + 1):
            head = _part_score(low[:cut])
            if head is None:
                continue
            tail = _compound_score(low[cut:], parts_left - 1)
            if tail is None:
                continue
            score = min(head, tail) - JOINT_COST
            if best is None or score > best:
                best = score
    return best


def _part_score(part: str) -> float | None:
    if len(part) < MIN_PART:
        return None
    scores = [lexicon.zipf(p) for p in (part, part[:-1] if part[-1] in "se" else "") if len(p) >= MIN_PART]
    top = max(scores, default=0.0)
    return top if top >= MIN_PART_ZIPF else None


def _confidence(best: str, scored: dict[str, tuple[int, float]]) -> float:
    """Share of the best candidate in the plausibility mass of all candidates; more edits, less sure."""
    weights = {c: 10 ** (s - EDIT_COST * e) for c, (e, s) in scored.items()}
    share = weights[best] / sum(weights.values())
    edits = scored[best][0]
    return round(min(0.99, share * (0.95 if edits == 1 else 0.85 if edits == 2 else 0.7)), 3)


def _candidates(low: str, max_edits: int = MAX_EDITS):
    """All readings of ``low`` with 1..max_edits non-overlapping confusion substitutions."""
    sites = [
        (i, len(src), dst)
        for src, dst in CONFUSIONS
        for i in _find_all(low, src)
    ]
    if not sites or len(sites) > MAX_SITES:
        return
    sites.sort()
    for k in range(1, max_edits + 1):
        for combo in combinations(sites, k):
            if any(a[0] + a[1] > b[0] for a, b in zip(combo, combo[1:])):
                continue
            pieces, last = [], 0
            for i, n, dst in combo:
                pieces.append(low[last:i])
                pieces.append(dst)
                last = i + n
            pieces.append(low[last:])
            yield k, "".join(pieces)


def _find_all(text: str, sub: str):
    start = text.find(sub)
    while start != -1:
        yield start
        start = text.find(sub, start + 1)


def _restore_case(original: str, candidate: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return candidate.upper()
    if original[0] == "I" and candidate[0] == "l":
        return candidate  # a capital I is how OCR often reads a lower-case l
    if original[0].isupper() or original[0] in "@|":
        return candidate[:1].upper() + candidate[1:]
    return candidate


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isalpha() and word.isupper()


def _is_known(word: str) -> bool:
    return lexicon.is_word(word) or lexicon.zipf(word) >= KNOWN_ZIPF


def _is_candidate_token(word: str) -> bool:
    """Tokens worth repairing: letters (with OCR symbols), not codes, numbers or acronyms."""
    if len(word) < 2 or "_" in word:
        return False
    if any(c.isdigit() for c in word):
        # digits only as OCR'd å inside letters (omr8de), never in numbers or codes (7S, 2026)
        inner = word[1:-1]
        return all(c.isalpha() or c in "@|&" or (c in "38" and c in inner) for c in word) and any(
            c.isalpha() for c in word
        ) and not word[0].isdigit()
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 1:
        return False
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return False  # acronyms: SET, HLS, LASSO
    if any(c.isupper() for c in letters[1:]):
        return False  # mixed case (BEErET, iPhone) is debris or a name, not a damaged word
    return True


def _is_english_context(words: list[str], i: int) -> bool:
    """True when a neighbour is plainly English: English passages are not Norwegian OCR damage."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            w = words[j]
            if len(w) > 2 and not lexicon.is_word(w) and lexicon.zipf_english(w.lower()) >= 3.5 and (
                lexicon.zipf_english(w.lower()) > lexicon.zipf(w.lower()) + ENGLISH_MARGIN
            ):
                return True
    return False


def _ends_sentence(line: str, prev_end: int, start: int) -> bool:
    return any(c in ".!?:" for c in line[prev_end:start])


def _repair_symbol(words: list[str], i: int, at_start: bool) -> tuple[str, tuple[str, float]] | None:
    """Lone ``&``/``8``/``3``/``a`` → ``å`` before an infinitive; lone ``|`` → ``I``."""
    word = words[i]
    prev = words[i - 1] if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word == "|":
        if not nxt[:1].isalpha() or _is_acronym(prev) or _is_acronym(nxt):
            return None  # a table rule between cells, not a letter
        if at_start:
            return "I", ("symbol", 0.9)
        if prev.isalpha() and prev.islower():
            return "i", ("symbol", 0.75)
        return None
    if word in LONE_AA or word == "a" or (word == "A" and at_start):
        if not nxt or not nxt.isalpha() or not nxt.islower():
            return None
        if word in LONE_AA and prev and not prev.isalpha():
            return None
        aa = "Å" if word == "A" else "å"
        if lexicon.is_infinitive(nxt):
            return aa, ("symbol", 0.9 if word != "a" else 0.95)
        if word == "a" and prev.isalpha() and lexicon.is_word(nxt):
            return aa, ("symbol", 0.7)
    return None


@dataclass
class Cleaned:
    """A response's text after character and layout repair, with every change made."""

    text: str
    corrections: list[Correction]


def clean_text(text: str) -> Cleaned:
    """Character repair (line by line), then layout repair: paragraphs and list items, one per block."""
    from pipeline.layout import reflow_with_log

    repaired = repair_text(text)
    flowed, layout_changes = reflow_with_log(repaired.text)
    layout = [Correction(c.line, c.original, c.corrected, c.rule, 0.9) for c in layout_changes]
    corrections = sorted(repaired.corrections + layout, key=lambda c: c.line)
    return Cleaned(flowed, corrections)
