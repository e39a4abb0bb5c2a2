"""What page furniture looks like in Norwegian letters, web pages and newspapers.

Each kind is a regular expression over a whole block (case-insensitive unless noted). A block that
matches is not a comment: :mod:`pipeline.segment` lists it as left out with its kind. The kinds are
the labels of ``eval/data/real_responses/README.md``.
"""

from __future__ import annotations

import re

_MONTHS = r"(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)"
_DATE = rf"(?:\d{{1,2}}\.\s?(?:\d{{1,2}}\.\s?\d{{2,4}}|{_MONTHS}(?:\s+\d{{4}})?)|\d{{4}}-\d{{2}}-\d{{2}})"

FURNITURE_RES: dict[str, re.Pattern] = {
    "date": re.compile(
        rf"^(?:(?:dato|sendt|mottatt|datert|oppdatert|sist\s+(?:endret|oppdatert)|levert)\b\s*:?\s*.{{0,40}}"
        rf"|(?:[A-ZÆØÅ][a-zæøå]+,\s*)?(?:den\s+)?{_DATE}\.?)$", re.IGNORECASE),
    "published": re.compile(r"^(?:publisert|publisert:|sist\s+publisert)\b.{0,80}$", re.IGNORECASE),
    "reference": re.compile(
        r"^(?:(?:vår|deres)\s+(?:ref(?:eranse)?|dato|saksbehandler)\b|(?:saksnr|saksnummer|sak\s+nr|arkivkode|"
        r"arkivsak|journalnr|journalpostid|dokumentnr|ref)\.?\s*[:.]|(?:adressat|mottaker|til|fra|kopi|emne|"
        r"sak|gjelder|høring|høringsinstans|høringsfrist)\s*:).{0,160}$", re.IGNORECASE),
    "credit": re.compile(r"^(?:\(?(?:foto|fotograf|illustrasjon|illustrasjonsfoto|bilde|grafikk|photo)\s*[:/©]"
                         r"|©).{0,120}$", re.IGNORECASE),
    "navigation": re.compile(
        r"^(?:les\s+(?:også|mer|hele)|se\s+(?:også|dokumentene|vedlegg|hele)|del\s+(?:artikkelen|saken|på)|"
        r"tips\s+oss|last\s+ned|klikk\s+her|hele\s+(?:høringsuttalelsen|uttalelsen|høringssvaret|høringsinnspillet|"
        r"innspillet|brevet)\s+(?:kan|finner)|til\s+toppen|tilbake\s+til|skriv\s+ut|abonner|annonse|"
        r"relaterte\s+(?:saker|artikler)|sakene\s+fra|relatert)\b.{0,200}$", re.IGNORECASE),
    "link": re.compile(r"^(?:\S*https?://\S+|www\.\S+|\S.{0,160}\.(?:pdf|docx?|odt|xlsx?))\s*$", re.IGNORECASE),
    "contact": re.compile(r"^(?:(?:tlf|telefon|mobil|e-post|epost|e-mail|org\.?\s*nr|organisasjonsnummer|"
                          r"postadresse|besøksadresse|postboks|pb\.)\b.{0,120}|\S+@\S+\.\w+)$", re.IGNORECASE),
    "byline": re.compile(r"^(?:av|skrevet\s+av|tekst)\s*:?\s+[A-ZÆØÅ][\w.-]+(?:\s+[A-ZÆØÅ][\w.-]+){0,3}"
                         r"(?:\s*(?:,|og|&)\s*.{0,120})?$"),
}
# address markers: a block with two of them is a letterhead or an address block
LETTERHEAD_MARKERS_RE = re.compile(
    r"\b(?:postadr(?:esse)?|besøksadr(?:esse)?|org\.?\s*nr|organisasjonsnummer|telefaks|faks|tlf|telefon|"
    r"postboks|pb\.|e-post|sentralbord|\d{4}\s+[A-ZÆØÅ][A-ZÆØÅa-zæøå]+)\b",
    re.IGNORECASE,
)
LETTERHEAD_MIN_MARKERS = 2
# A document-type word alone is a title: «Høringsuttalelse», «Høringssvar».
DOCUMENT_TYPE_RE = re.compile(
    r"^(?:høringssvar|høringsuttalelse|høringsinnspill|høringsnotat|høring|uttalelse|uttale|innspill|"
    r"merknader|kommentarer|notat|brev)\s*:?$", re.IGNORECASE)
# A section label of a web page above the headline: one or two words («Politikk», «Verdidebatt»).
SECTION_LABEL_MAX_WORDS = 2
