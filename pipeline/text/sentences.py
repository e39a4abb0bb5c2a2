"""One sentence splitter for the whole project: spaCy's ``nb`` tokenizer and sentencizer.

Norwegian abbreviations (``bl.a.``, ``f.eks.``, ``jf.``, ``kap.``, ``St. Hanshaugen``) and ordinal
dates (``31. juli``) do not end a sentence; a sentence never starts with a lower-case word. A measure
code or a year with a full stop (``… tiltak 16F. Vi …``, ``… i 2026. Tiltaket …``) ends one when the next
word is capitalised, a number does before a capitalised function word (``… punkt 3. Det …``), and so
does an abbreviation that often closes a sentence (``osv.``, ``kr.``) when a capitalised function
word (``Det``, ``Vi``) follows.
Quotes, key points, list lead-ins and stance all split with :func:`sentences`.

Example:
    >>> sentences("Fristen er 31. juli. Vi viser bl.a. til kap. 3 og St. Hanshaugen.")
    ['Fristen er 31. juli.', 'Vi viser bl.a. til kap. 3 og St. Hanshaugen.']
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.lang.nb.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from pipeline.nb.abbreviations import ABBREVIATIONS, SENTENCE_FINAL

CODE_WITH_STOP_RE = re.compile(r"^\d{1,2}\s?[FS]\.$")
YEAR_WITH_STOP_RE = re.compile(r"^(?:\d{4}[–-])?(?:1[89]|2[01])\d\d\.$")  # spaCy's nb keeps «2026.» as one token
NUMBER_WITH_STOP_RE = re.compile(r"^\d+\.$")
MAX_CHARS = 1_000_000  # spaCy's own limit; longer blocks are split by paragraphs first


@Language.component("horing_sentence_starts")
def sentence_starts(doc: Doc) -> Doc:
    """Correct the sentencizer: no sentence starts lower-case; a code like ``16F.``, a year
    (``… datert 2026. Vi …``) or a number before a capitalised function word can end one."""
    for i, token in enumerate(doc[1:], 1):
        previous = doc[i - 1]
        if token.text[:1].isupper() and (
            CODE_WITH_STOP_RE.match(previous.text)
            or YEAR_WITH_STOP_RE.match(previous.text)
            or (previous.lower_ in SENTENCE_FINAL or NUMBER_WITH_STOP_RE.match(previous.text))
            and token.lower_ in STOP_WORDS
        ):
            token.is_sent_start = True
        elif token.is_sent_start and token.text[:1].islower():
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def _nlp() -> Language:
    nlp = spacy.blank("nb")
    for abbreviation in ABBREVIATIONS:
        for form in {abbreviation, abbreviation[:1].upper() + abbreviation[1:]}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("horing_sentence_starts")
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence of ``text``, without surrounding whitespace."""
    spans = []
    for block in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):  # blank lines always end a sentence
        offset = block.start()
        for chunk_start in range(0, len(block.group()), MAX_CHARS):
            chunk = block.group()[chunk_start : chunk_start + MAX_CHARS]
            for sentence in _nlp()(chunk).sents:
                start = offset + chunk_start + sentence.start_char
                end = offset + chunk_start + sentence.end_char
                while end > start and text[end - 1].isspace():
                    end -= 1
                while start < end and text[start].isspace():
                    start += 1
                if end > start:
                    spans.append((start, end))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, verbatim."""
    return [text[start:end] for start, end in sentence_spans(text)]
