"""Whether a PDF's text layer is the document's words or junk: glyph codes, shifted letters, or too
little text for its pages (a scan). A PDF whose layer :func:`looks_like_garbage` is read with OCR.

Pure functions of the text and its page count; the thresholds (``MIN_*``, ``MAX_*``) leave a wide
margin on the seeds (tests/data/seeds).
"""

from __future__ import annotations

import re
import unicodedata

MIN_LETTERS_PER_PAGE = 20  # fewer on average: a scan (maybe with a stamp or page numbers as text)
MAX_JUNK_CHARS = 0.10  # share of non-space characters that are private-use, control, U+FFFD, (cid:N)
MIN_CLEAN_TOKENS = 0.80  # share of tokens that are words (letters only) or NUMBERs
MIN_VOWEL_WORDS = 0.85  # share of letter-only tokens with a vowel (acronyms of <= 4 capitals aside)
MIN_TOKENS = 20  # the two token shares are judged only on at least this many tokens
MIN_FUNCTION_WORDS = 0.03  # share of words that are FUNCTION_WORDS (Norwegian text: 0.15-0.45)
MIN_WORDS_FOR_FUNCTION = 50  # ... judged only on at least this many words
MIN_VOWEL_LETTERS = 0.25  # share of vowels among the words' letters (Norwegian ~0.37, shifted codes ~0.2)
MIN_LETTERS_FOR_SHARE = 100  # ... judged only on at least this many letters
VOWELS = set("aeiouyæøåéèêëáàâíìîóòôöúùûüäÿ")
# The commonest words of Bokmål (with their usual OCR damage: pa, a, sa, ogsa), Nynorsk and English.
FUNCTION_WORDS = frozenset(
    """
    og i på å det er som en et ei til av for at med har de den dette disse ikke vi seg om kan var så
    fra men skal vil eller også ved blir bli være mer hvor der etter under alle andre nå når hva hvis
    må mot mellom bør sin sine sitt oss vår våre deres jeg du meg dem slik samt hos uten gjennom inn
    ut opp over pa a sa ogsa ma nar ein eit ikkje dei eg vere kva
    the and of to in is for that we are be on with as this it by not or from have will our an
""".split()
)
CID = re.compile(r"\(cid:\d+\)")
JUNK_CATEGORIES = {"Co", "Cc", "Cn", "Cs"}  # private use, control, unassigned, surrogate
EDGE_PUNCTUATION = ".,;:!?()[]{}<>\"'«»„“”‘’‚‹›-–—/\\…*•·"
WORD_JOINERS = re.compile(r"[-'’./]")  # inside a word: bydels-reform, f.eks., Oslo's, og/eller
# Numbers, dates, amounts and measure codes: 2026-2029, 12.09.2025, 100%, §12, 7S, 3F-5F, 1990-tallet
NUMBER = re.compile(r"[§#]?\d[\d.,:/%–-]*[^\W\d_]{0,2}(?:[-–—/]+\d[\d.,]*[^\W\d_]{0,2})*(?:-[^\W\d_]+)?")


def is_junk(text: str) -> bool:
    """Text made of glyph codes rather than words: odd characters, or tokens that aren't words."""
    cids = len(CID.findall(text))
    text = CID.sub(" ", text)
    chars = [c for c in text if not c.isspace()]
    junk = cids + sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in JUNK_CATEGORIES)
    if junk > MAX_JUNK_CHARS * max(len(chars) + cids, 1):
        return True
    tokens = [t for t in (raw.strip(EDGE_PUNCTUATION) for raw in text.split()) if len(t) >= 2]
    words, numbers = [], 0
    for token in tokens:
        if WORD_JOINERS.sub("", token).isalpha():
            words.append(token)
        elif len(token) <= 40 and NUMBER.fullmatch(token):
            numbers += 1
    if len(tokens) >= MIN_TOKENS and len(words) + numbers < MIN_CLEAN_TOKENS * len(tokens):
        return True
    common = sum(1 for w in words if w.lower() in FUNCTION_WORDS)
    if len(words) >= MIN_WORDS_FOR_FUNCTION and common < MIN_FUNCTION_WORDS * len(words):
        return True
    # Latin-script words; acronyms (NAV, BYM, HLS) need no vowel.
    latin = [w for w in words if all(c < "\u0250" for c in w) and not (w.isupper() and len(w) <= 4)]
    vowelled = sum(1 for w in latin if VOWELS & set(w.lower()))
    if len(latin) >= MIN_TOKENS and vowelled < MIN_VOWEL_WORDS * len(latin):
        return True
    letters = [c for c in "".join(latin).lower() if c.isalpha()]
    vowels = sum(1 for c in letters if c in VOWELS)
    return len(letters) >= MIN_LETTERS_FOR_SHARE and vowels < MIN_VOWEL_LETTERS * len(letters)


def looks_like_garbage(text: str, pages: int) -> bool:
    """Whether a PDF's text layer is too thin or too odd to be the document's text (then: OCR).

    Garbage is fewer than MIN_LETTERS_PER_PAGE letters per page on average (a scan), more than
    MAX_JUNK_CHARS of private-use / control characters, U+FFFD or ``(cid:N)`` codes (fonts without
    a Unicode map), fewer than MIN_CLEAN_TOKENS of the tokens being plain words or numbers, fewer
    than MIN_FUNCTION_WORDS of the words being common ones (og, i, på, the, ...), fewer than
    MIN_VOWEL_WORDS of the words having a vowel, or fewer than MIN_VOWEL_LETTERS of their letters
    being vowels (glyph codes shifted off the letters: ``+ÛULQJVVYDU RJ`` for ``Høringssvar og``).
    OCR-damaged real text (``gkt``, ``pa``, ``|``) passes: its tokens are still words. No lexicon
    is needed; the thresholds leave a wide margin on the seeds (tests/data/seeds).
    """
    letters = sum(1 for c in CID.sub("", text) if c.isalpha())
    return letters < MIN_LETTERS_PER_PAGE * max(pages, 1) or is_junk(text)
