"""What a name names: an organisation, a person, or the same sender as another name.

Tests on a name alone, with the organisation vocabulary of :mod:`pipeline.nb.organisations` and the
word tables of :mod:`pipeline.text.lexicon`; :mod:`pipeline.comments.senders` and the stance rules use
them to tell who speaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.nb.organisations import GENERIC_REFERENCES, ORGANISATION_MARKERS, ORGANISATION_SUFFIXES
from pipeline.nb.senders import ARTICLES, CONNECTORS
from pipeline.text import lexicon

ORGANISATION = "organisation"
PERSON = "person"
UNKNOWN = "unknown"

MAX_NAME_WORDS = 8
PROPER_NAME_MAX_ZIPF = 3.5  # a single word this rare in Norwegian, speaking, is an organisation's name


def is_organisation_name(name: str) -> bool:
    """Whether ``name`` names an organisation: an organisation word or ending, or an acronym."""
    words = re.findall(r"[\wæøåÆØÅ]+", name)
    if any(w.isupper() and len(w) >= 2 and not w.isdigit() for w in words):
        return True
    return any(
        w.lower() in ORGANISATION_MARKERS or w.lower().endswith(ORGANISATION_SUFFIXES) for w in words if not w.isdigit()
    )


def is_organisation_word(word: str) -> bool:
    """Whether a lower-case word marks an organisation: «bydel», «fagforbundet», «eldrerådet»."""
    return word in ORGANISATION_MARKERS or word.endswith(ORGANISATION_SUFFIXES)


def is_person_name(name: str) -> bool:
    """Whether ``name`` reads as one person's name (2–4 capitalised name words, no organisation word)."""
    from pipeline.outputs.masking import is_private_person

    return is_private_person(name)


def kind_of(name: str) -> str:
    """``organisation``, ``person`` or ``unknown``, by the name alone."""
    if is_organisation_name(name):
        return ORGANISATION
    return PERSON if is_person_name(name) else UNKNOWN


def tidy_name(name: str) -> str:
    """The name without surrounding punctuation and extra spaces, capitalised: «fra politiet» names Politiet."""
    name = re.sub(r"\s+", " ", name).strip(" \t—–-:;,.«»\"'")
    return name[:1].upper() + name[1:]


def name_key(name: str) -> str:
    """What spellings of one name share: lower case, without a bracketed acronym («Blå Kors (BK)»)."""
    return re.sub(r"\s*\([^)]*\)", "", name).lower().strip()


def same_sender(name: str, sender: str) -> bool:
    """Whether ``name`` refers to ``sender``: a shared name word («Legeforeningen» in «Den norske
    legeforening»), an acronym of it, or a bare «Foreningen», «Etaten» that refers back."""
    if name_key(name) in GENERIC_REFERENCES:
        return True
    words = {w.lower() for w in re.findall(r"[\wæøåÆØÅ]+", name)} - CONNECTORS - {"den", "det", "de"}
    theirs = {w.lower() for w in re.findall(r"[\wæøåÆØÅ]+", sender)} - CONNECTORS - {"den", "det", "de"}
    if words & theirs:
        return True
    return any(a.endswith(b) or b.endswith(a) for a in words for b in theirs if min(len(a), len(b)) >= 6)


def is_organisation_phrase(words: Sequence[str]) -> bool:
    """Words that can make up an organisation's name: capitalised words, acronyms, connectors and
    organisation nouns («Landsgruppen av helsesykepleiere», «Statens helsetilsyn»), with something
    that marks an organisation, or a proper name no person carries («Actis», «Tryggere Ungdom»)."""
    words = [w.strip(",:") for w in words]
    if not words or words[0].lower() in ("ifølge",):
        return False
    if not _name_words_follow(words):
        return False
    name = " ".join(words)
    first = words[0].lower()
    if _common_noun_before_name(words):
        return False  # «Utgangspunktet for NFA»: a common noun and an acronym is no name
    if is_organisation_name(name):
        return len(words) > 1 or first not in GENERIC_REFERENCES
    capitalised = [w for w in words if w[:1].isupper() and w not in ARTICLES]
    if len(capitalised) == 1 and len(words) == 1:  # a proper name, if the text also writes it mid-sentence
        return not lexicon.word_classes(first) and lexicon.zipf(first) < PROPER_NAME_MAX_ZIPF
    return len(capitalised) >= 2 and all(lexicon.word_classes(w.lower()) for w in capitalised)


def _name_words_follow(words: Sequence[str]) -> bool:
    """Whether every word after the first can go on a name: capitalised, a connector, a bracketed
    acronym, an organisation word, or lower case after «for», «av», «mot», «i» in an organisation's
    name («Landsforeningen for trygg oppvekst»)."""
    after_connector = False
    organisation_seen = is_organisation_word(words[0].lower())
    for w in words[1:]:
        if not (
            w[:1].isupper()
            or w.lower() in CONNECTORS
            or re.fullmatch(r"\([A-ZÆØÅ]{2,}\)", w)
            or is_organisation_word(w.lower())
            or after_connector
            and organisation_seen
            and w[:1].islower()
        ):
            return False
        after_connector = after_connector or w.lower() in ("for", "av", "mot", "i")
        organisation_seen = organisation_seen or is_organisation_word(w.lower())
    return True


def _common_noun_before_name(words: Sequence[str]) -> bool:
    """A common noun followed by mixed-case words with no organisation noun among them: «Utgangspunktet
    for NFA»."""
    first = words[0].lower()
    mixed = any(w[:1].islower() or w.isupper() for w in words[1:])
    return (
        len(words) > 1
        and mixed
        and words[0] not in ARTICLES
        and bool(lexicon.word_classes(first))
        and not is_organisation_word(first)
        and not any(is_organisation_word(w.lower()) for w in words[1:] if not w.isupper() and "(" not in w)
    )
