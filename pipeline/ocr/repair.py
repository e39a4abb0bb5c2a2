"""OCR character repair for Norwegian text: lines stay as they are, only mis-read characters change.

Text OCR'd with an English model loses the Norwegian letters: ``økt`` comes out as ``gkt``,
``høringen`` as ``hgringen``, ``på`` as ``pa``, ``I`` as ``|``, ``før`` as ``far``. The repair is
decided by the lexicon and by context, never by a list of known words. Two passes over a document:

1. **unambiguous repairs**: a word the Norwegian dictionary does not know is rewritten with the
   confusions of :mod:`pipeline.ocr.confusions` and replaced by its most plausible known reading; lone
   symbols are read in context (``&``/``8``/``a`` before an infinitive is ``å``, a lone ``|`` that
   starts a sentence is ``I``); bullet glyphs at the start of a line (``¢``, ``e``, ``o``) become ``•``;
2. **real words** that are also damaged forms (``far``, ``mal``, ``vare``) are decided by
   :mod:`pipeline.ocr.realword` from the document's damage profile (estimated from pass 1) and the
   words around them. A clean document shows no damage, so pass 2 changes nothing in it.

Pass 1 is gated by the document's damage too (:class:`~pipeline.ocr.damage.DocumentDamage`): a repair that restores
``æ``/``ø``/``å`` is made only where the document lost a good share of that letter (clean text writes
it intact everywhere else), a shape repair (``tienester``, ``rnange``) only where the document shows
OCR damage at all; a word with OCR debris in it (``hgr|ng``, ``@kt``) is always repaired. So the one
unknown word of a clean text (a name, a genitive such as ``Tyrilis``, a cut word) stays as written.

Names in capitals, codes (``7S``), numbers, abbreviations (``bl.a.``, ``f.eks.``, ``jf.``), URLs and
e-mail addresses are never touched; in a text that reads as Nynorsk (``ikkje``, ``dei``, ``kva``)
Nynorsk words (``vere``, ``gjer``) are words, not damaged Bokmål.

Example:
    >>> repair_text("| dette hgringssvaret gir vi vare innspill pa disse omradene").text
    'I dette høringssvaret gir vi vare innspill på disse områdene'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.ocr.confusions import ADDED_DIACRITICS, log_prior, readings
from pipeline.ocr.damage import DocumentDamage
from pipeline.ocr.realword import INTACT_LETTERS, DamageProfile, best_reading
from pipeline.ocr.tokens import SENTENCE_END, Token, assemble, sentence_context, tokenise
from pipeline.text import lexicon

MAX_EDITS = 3
KNOWN_PRIOR = -1.0  # a reading the dictionary lacks must be at least this likely (Zipf scale)
GOOD_ENOUGH = 1.5  # a reading this likely (less its cost) ends the search for readings with more edits
FREE_COST = 0.5  # one common confusion is expected of a damaged word: not held against its reading
MIN_GAIN = 1.5  # a word is replaced only by a reading this much more likely (log10)
SHORT_WORD, SHORT_WORD_ZIPF = 3, 4.0  # words this short are only read as common dictionary words
ENGLISH_MARGIN = 1.0
BULLET_RE = re.compile(r"^(\s*)([¢•●▪◦■□➢►·*]|[eo](?=\s+[A-ZÆØÅ|]))(\s+)")
# "e"/"o" before a lower-case word is a bullet too where several lines start so (a list)
LOWER_BULLET_RE = re.compile(r"^(\s*)([eo])(\s+)(?=[a-zæøå])")
LONE_AA = {"&", "8", "3", "4", "4a", "d", "é", "@"}  # how OCR reads a lone "å" (before an infinitive)
DEBRIS_SYMBOLS = frozenset("|&@")  # lone symbols read as letters where a document shows OCR damage
ADDED_RE = re.compile("|".join(src for src, _, _ in ADDED_DIACRITICS))


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
    corrections = _repair_bullets(lines)
    tokens = _tokenise_lines(lines, bulleted={c.line - 1 for c in corrections})
    words = [t.text for t in tokens]
    nynorsk = lexicon.reads_as_nynorsk(words)
    _read_non_words(tokens, words, nynorsk)  # pass 1a: non-words
    damage = DocumentDamage.estimate(tokens, len(words))
    _keep_supported(tokens, damage)
    _repair_symbols(tokens, damage)  # pass 1b: lone symbols, read with their repaired neighbours
    _repair_real_words(tokens, words, nynorsk, damage)  # pass 2
    changes = [
        Correction(t.line + 1, t.text, t.fixed, t.rule, t.confidence) for t in tokens if t.rule and t.fixed != t.text
    ]
    return Repaired(assemble(lines, tokens), sorted(corrections + changes, key=lambda c: c.line))


def _repair_bullets(lines: list[str]) -> list[Correction]:
    """Bullet glyphs OCR read at the start of a line (``¢``, ``e``, ``o``) made ``•``, in ``lines`` in place."""
    corrections: list[Correction] = []
    lower_bullets = sum(bool(LOWER_BULLET_RE.match(line)) for line in lines) >= 2
    for number, line in enumerate(lines):
        bullet = BULLET_RE.match(line) or (LOWER_BULLET_RE.match(line) if lower_bullets else None)
        if bullet and bullet.group(2) != "•":
            corrections.append(Correction(number + 1, bullet.group(2), "•", "bullet", 0.9))
            lines[number] = f"{bullet.group(1)}•{bullet.group(3)}{line[bullet.end() :]}"
    return corrections


def _tokenise_lines(lines: list[str], bulleted: set[int]) -> list[Token]:
    """The tokens of all lines; a line after a sentence end, an empty line or a bullet begins a sentence."""
    tokens: list[Token] = []
    sentence_start = True
    for number, line in enumerate(lines):
        tokens.extend(tokenise(number, line, sentence_start or number in bulleted))
        stripped = line.strip()
        sentence_start = not stripped or stripped[-1] in SENTENCE_END
    return tokens


def _read_non_words(tokens: list[Token], words: list[str], nynorsk: bool) -> None:
    """Each non-word's best reading as a candidate repair, and its reading with added diacritics undone."""
    for i, token in enumerate(tokens):
        if not _is_english_context(words, i) and not (nynorsk and lexicon.is_nynorsk_word(token.text)):
            best = repair_word(token.text, at_start=token.at_start)
            if best:
                token.fixed, token.confidence, token.rule = best[0], best[1], "lexicon"
            if ADDED_RE.search(token.text):
                added = repair_word(token.text, at_start=token.at_start, added_diacritics=True)
                token.added = added if added and (not best or added[0] != best[0]) else None


def _keep_supported(tokens: list[Token], damage: DocumentDamage) -> None:
    """Make the candidate repairs the document's damage supports; the other words stay as written."""
    for token in tokens:
        if token.added and damage.adds_diacritics:
            token.fixed, token.confidence, token.rule = token.added[0], token.added[1], "lexicon"
        if token.rule and not damage.supports(token):
            token.fixed, token.confidence, token.rule = token.text, 0.0, ""


def _repair_real_words(tokens: list[Token], words: list[str], nynorsk: bool, damage: DocumentDamage) -> None:
    """Pass 2: real words that are damaged forms of other words, where the document shows damage."""
    profile = DamageProfile.estimate(
        ((t.text, t.fixed) for t in tokens if t.rule),
        Counter(c for t in tokens if not t.rule for c in t.text.lower() if c in INTACT_LETTERS),
    )
    if not profile.damaged:
        return
    for i, token in enumerate(tokens):
        if token.rule or not _is_real_word_candidate(token.text) or _is_english_context(words, i):
            continue
        if nynorsk and lexicon.is_nynorsk_word(token.text):
            continue
        before, after = sentence_context(tokens, i)
        best = best_reading(token.text, before, after, profile)
        if best:
            token.fixed, token.confidence, token.rule = best[0], best[1], "context"
    _repair_symbols(tokens, damage)  # a symbol before a word pass 2 repaired ("& mote" → "å møte")


def repair_line(line: str) -> tuple[str, list[Correction]]:
    """Repair one line on its own (no document context): the line and its corrections."""
    repaired = repair_text(line)
    return repaired.text, repaired.corrections


def repair_word(word: str, *, at_start: bool = True, added_diacritics: bool = False) -> tuple[str, float] | None:
    """Best dictionary word for an unknown OCR'd word, with a confidence; None to leave it alone.

    ``at_start``: the word begins a sentence, so a symbol read for its first letter (``@kt``) is a
    capital; elsewhere it is lower case unless only the capitalised word exists (``@stensjg``).
    ``added_diacritics``: also read ``é``/``å`` as a plain letter OCR decorated (``dé`` → ``de``).
    """
    if not _is_candidate_token(word):
        return None
    return _repair_unknown(word, at_start, added_diacritics)


@lru_cache(maxsize=100_000)
def _repair_unknown(word: str, at_start: bool, added_diacritics: bool = False) -> tuple[str, float] | None:
    if lexicon.is_word(word):
        return None  # the dictionary knows it: if it is a damaged form, pass 2 decides
    own = log_prior(word)
    scored: dict[str, tuple[int, float]] = {}  # reading → (edits, score: log-prior less confusion cost)
    max_edits = 1 if len(word) <= SHORT_WORD + 1 else MAX_EDITS
    for edits, cost, candidate in readings(word.lower(), max_edits, added_diacritics=added_diacritics):
        if scored and edits > max(e for e, _ in scored.values()) and _good_enough(scored):
            break  # a likely reading with fewer edits: more edits will not beat it
        cased = _restore_case(word, candidate)
        if word[0] in "@|" and not at_start and lexicon.is_word(candidate):
            cased = candidate  # lower case where the dictionary has it so; names keep their capital
        if cased == word:
            continue
        prior = _candidate_prior(cased)
        if prior is not None and (cased not in scored or prior - cost > scored[cased][1]):
            scored[cased] = (edits, prior - cost)
    if not scored:
        return None
    best = max(scored, key=lambda c: scored[c][1])
    if own is not None and scored[best][1] + FREE_COST - own < MIN_GAIN:
        return None
    return best, _confidence(best, scored)


def _candidate_prior(word: str) -> float | None:
    """Log-prior of a reading worth considering, or None: rare non-words are not readings."""
    prior = log_prior(word)  # frequency tables only: cheap, so it filters first
    if prior is None:
        return None
    if len(word) <= SHORT_WORD:  # short words have too many readings: only common dictionary words
        return prior if lexicon.zipf(word) >= SHORT_WORD_ZIPF and lexicon.is_word(word) else None
    if prior >= KNOWN_PRIOR or lexicon.is_word(word):
        return prior
    return None


def _good_enough(scored: dict[str, tuple[int, float]]) -> bool:
    return max(s for _, s in scored.values()) >= GOOD_ENOUGH


def _confidence(best: str, scored: dict[str, tuple[int, float]]) -> float:
    """Share of the best candidate in the probability mass of all candidates; more edits, less sure."""
    weights = {c: 10**s for c, (_, s) in scored.items()}
    share = weights[best] / sum(weights.values())
    edits = scored[best][0]
    return round(min(0.99, share * (0.95 if edits == 1 else 0.85 if edits == 2 else 0.7)), 3)


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


def _is_candidate_token(word: str) -> bool:
    """Tokens worth repairing: letters (with OCR symbols), not codes, numbers or acronyms."""
    if len(word) < 2 or "_" in word:
        return False
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    if any(c.isdigit() and c not in "38" for c in word) or word[0].isdigit() and word[1:].isupper():
        return False  # numbers and codes (7S, 2026); 3 and 8 only as a read "å" (p8, omr8de)
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return False  # acronyms: SET, HLS, LASSO
    if any(c.isupper() for c in letters[1:]):
        return False  # mixed case (BEErET, iPhone) is debris or a name, not a damaged word
    return True


def _is_real_word_candidate(word: str) -> bool:
    return word.isalpha() and _is_candidate_token(word)


def _is_english_context(words: list[str], i: int) -> bool:
    """True inside an English passage: two of the four nearest words are English, not Norwegian."""
    neighbours = [words[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(words)]
    return sum(_is_english(w) for w in neighbours) >= 2


@lru_cache(maxsize=50_000)
def _is_english(word: str) -> bool:
    low = word.lower()
    english = lexicon.zipf_english(low)
    return (
        len(word) > 2 and english >= 3.5 and english > lexicon.zipf(low) + ENGLISH_MARGIN and not lexicon.is_word(word)
    )


def _repair_symbols(tokens: list[Token], damage: DocumentDamage) -> None:
    for i, token in enumerate(tokens):
        if not token.rule:
            symbol = _repair_symbol(tokens, i)
            if symbol and (damage.shows_damage if token.text in DEBRIS_SYMBOLS else damage.restores("å")):
                token.fixed, token.confidence, token.rule = symbol[0], symbol[1], "symbol"


def _repair_symbol(tokens: list[Token], i: int) -> tuple[str, float] | None:
    """Lone ``&``/``8``/``3``/``a`` → ``å`` before an infinitive; lone ``|`` → ``I``."""
    token = tokens[i]
    word = token.text
    prev = tokens[i - 1].fixed if i > 0 else ""
    nxt = tokens[i + 1].fixed if i + 1 < len(tokens) else ""
    if word == "|":
        if not nxt[:1].isalpha() or _is_acronym(prev) or _is_acronym(nxt):
            return None  # a table rule between cells, not a letter
        if token.at_start:
            return "I", 0.9
        if prev.isalpha() and prev.islower():
            return "i", 0.75
        return None
    if word in LONE_AA or word == "a" or (word == "A" and token.at_start):
        if not nxt or not nxt.isalpha() or not nxt.islower():
            return None
        if word in LONE_AA and prev and not prev.isalpha():
            return None
        aa = "Å" if word == "A" else "å"
        if lexicon.is_infinitive(nxt) or nxt.endswith("e") and lexicon.lemma_table("verb").get(nxt):
            return aa, 0.9 if word != "a" else 0.95
        if word == "a" and prev.isalpha() and lexicon.is_word(nxt):
            return aa, 0.7
    return None


@dataclass
class Cleaned:
    """A response's text after character and layout repair, with every change made."""

    text: str
    corrections: list[Correction]


def clean_text(text: str) -> Cleaned:
    """Character repair (line by line), then layout repair: paragraphs and list items, one per block."""
    from pipeline.ocr.layout import reflow_with_log

    repaired = repair_text(text)
    flowed, layout_changes = reflow_with_log(repaired.text)
    layout = [Correction(c.line, c.original, c.corrected, c.rule, 0.9) for c in layout_changes]
    corrections = sorted(repaired.corrections + layout, key=lambda c: c.line)
    return Cleaned(flowed, corrections)
