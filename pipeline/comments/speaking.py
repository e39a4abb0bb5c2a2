"""Who speaks in a response's sentences: the organisation that opens one with a speech verb, or «jeg».

«Legeforeningen støtter …», «Vi i Landsgruppen av helsesykepleiere representerer …», «I hovedsak
støtter Advokatforeningen …»: an organisation that is a sentence's subject speaks for itself. The
opening sentences name the sender; how often a name speaks in the whole text is evidence too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from pipeline.comments.names import MAX_NAME_WORDS, is_organisation_name, is_organisation_phrase, is_person_name
from pipeline.nb.organisations import SPEECH_VERBS, STANCE_VERBS
from pipeline.nb.senders import (
    ARTICLES,
    CLAUSE_SPLIT_RE,
    FIRST_PERSON_PLURAL_RE,
    FIRST_PERSON_SINGULAR_RE,
    IFOLGE_RE,
    INVERTED_RE,
    OWN_VIEW_RE,
    PRONOUNS,
    SENTENCE_SPLIT_RE,
    WE_IN_RE,
)
from pipeline.text import lexicon


def speaking_subject(sentence: str) -> str:
    """The organisation a sentence opens with when it speaks, or ``""``: «Fagforbundet Oslo viser til …»,
    «Vi i Landsgruppen av helsesykepleiere representerer …», «Etter Folkehelseinstituttets vurdering …»."""
    sentence = sentence.lstrip("–—-•* ")
    m = WE_IN_RE.match(sentence) or OWN_VIEW_RE.match(sentence)
    if m and is_organisation_phrase(m.group("name").split()):
        return m.group("name")
    words = sentence.split()
    if not words or not words[0][:1].isupper():
        return ""
    if words[0].lower() in PRONOUNS and not (words[0] in ARTICLES and len(words) > 2 and words[1][:1].isupper()):
        return ""
    for i, word in enumerate(words[1 : MAX_NAME_WORDS + 1], 1):
        if _is_finite_verb(word.lower().strip(",:;")):
            name = " ".join(words[:i]).rstrip(",")
            return name if is_organisation_phrase(words[:i]) else ""
        if word.endswith((",", ".", ":", ";")) and not re.fullmatch(r"\([A-ZÆØÅ]{2,}\)[,:]?", word):
            return ""
    return ""


def opening_speakers(blocks: Sequence[str]) -> list[str]:
    """The organisations the first two sentences of each block open with («X viser til …», «Ifølge X
    er …»)."""
    found = []
    for block in blocks:
        for sentence in SENTENCE_SPLIT_RE.split(block)[:2]:
            name = speaking_subject(sentence)
            text = " ".join(blocks)
            if (
                name
                and (len(name.split()) > 1 or is_organisation_name(name) or _written_inside(name, text))
                and not _surname(name, text)
            ):
                found.append(name)
            m = IFOLGE_RE.match(sentence)
            if m and is_organisation_name(m.group("name")):
                found.append(m.group("name"))
    return found


def speaking_counts(blocks: Sequence[str]) -> dict[str, int]:
    """How often each organisation is the speaking subject of a sentence (or clause) in the text.

    A one-word name that is not an organisation word («Actis», «Tyrili») counts only where the text
    also writes it capitalised inside a sentence: a sentence's first word is capitalised anyway."""
    counts: dict[str, int] = defaultdict(int)
    text = " ".join(blocks)
    for block in blocks:
        for clause in CLAUSE_SPLIT_RE.split(block):
            name = speaking_subject(clause)
            if (
                name
                and (
                    len(name.split()) > 1
                    or is_organisation_name(name)
                    or _written_inside(name, text)
                    or _takes_a_stand(name, clause)
                )
                and not _surname(name, text)
            ):
                counts[name] += 1
            for inverted in _inverted_subjects(clause):
                counts[inverted] += 1
    return dict(counts)


def writes_as_i(blocks: Sequence[str]) -> bool:
    """Whether the writer says «jeg» (at least twice) more often than «vi»: a person writing for themself."""
    text = " ".join(blocks).lower()
    singular = len(FIRST_PERSON_SINGULAR_RE.findall(text))
    return singular >= 2 and singular > len(FIRST_PERSON_PLURAL_RE.findall(text))


def _is_finite_verb(word: str) -> bool:
    """A speech verb, or a present or past tense verb that is no noun («prioriterer», «frarådet»)."""
    if word in SPEECH_VERBS:
        return True
    classes = lexicon.word_classes(word)
    return "verb" in classes and "noun" not in classes and word.endswith(("er", "te", "de", "et"))


def _inverted_subjects(sentence: str) -> list[str]:
    """Organisations named right after a speech verb inside a sentence: «I hovedsak støtter
    Advokatforeningen …», «Som høringsinstans vil Advokatforeningen være …»."""
    found = []
    for m in INVERTED_RE.finditer(sentence):
        name = m.group("name")
        verb = m.group("verb").lower()
        if (
            verb in SPEECH_VERBS
            and is_organisation_phrase(name.split())
            and (is_organisation_name(name) or verb in STANCE_VERBS and " " not in name)
        ):  # «Derfor støtter Actis …»
            found.append(name)
    return found


def _takes_a_stand(name: str, clause: str) -> bool:
    """«Actis går imot forslaget»: a one-word name followed by a verb that takes a stand."""
    rest = clause.lstrip("–—-•* ")[len(name) :].split()
    return bool(rest) and rest[0].lower() in STANCE_VERBS


def _surname(word: str, text: str) -> bool:
    """Whether ``word`` is the last name of a person the text names in full («Per Olav Haugen»)."""
    return " " not in word and any(
        is_person_name(m.group()) for m in re.finditer(rf"(?:[A-ZÆØÅ][a-zæøåé-]+\s+){{1,3}}{re.escape(word)}\b", text)
    )


def _written_inside(word: str, text: str) -> bool:
    """Whether the text writes ``word`` after another word, not only first in a sentence."""
    return bool(re.search(rf"[\wæøå,]\s+{re.escape(word)}\b", text))
