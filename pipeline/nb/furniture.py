"""What page furniture looks like in Norwegian letters, web pages and newspapers.

Each kind is a regular expression over a whole block (case-insensitive unless noted). A block that
matches is not a comment: :mod:`pipeline.comments.segment` lists it as left out with its kind. The kinds are
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
# A pointer to text elsewhere («Hele dokumentet kan leses her:», «… finner du her. (PDF, 148KB)»,
# «Du kan laste ned proposisjonen fra regjeringen.no»): a reading verb addressed to the reader or in the
# passive, and where to read. Only for a short single-line block (see POINTER_MAX_WORDS).
POINTER_VERB_RE = re.compile(
    r"\b(?:(?:du|dere)\s+(?:kan\s+|vil\s+)?(?:også\s+|her\s+)?(?:lese|laste\s+ned|finne|følge|se|lytte\s+til|høre)|"
    r"(?:finner|får|leser|ser)\s+(?:du|dere)|kan\s+(?:leses|lastes\s+ned|finnes|ses|sees|følges))\b",
    re.IGNORECASE)
POINTER_PLACE_RE = re.compile(r"\b(?:her|nedenfor|lenken?|nettsiden?|pdf)\b|\w\.no\b", re.IGNORECASE)
POINTER_MAX_WORDS = 40
# A note about attachments («Vedlagt ligger …», «Vi legger ved …»): what is attached is read on its own.
ATTACHMENT_RE = re.compile(r"^(?:vedlagt|vedlegg\s*:|vi\s+legger\s+ved|se\s+vedlagte?)\b", re.IGNORECASE)
# A title naming the document near the top, as one sentence: «Høringssvar – NOU 2019:26»,
# «Innspill til høringen fra RIO», «Blå Kors' innspill til …», «Landsgruppen av X: innspill til …»,
# «Bystyret har sendt sin uttale om …». What comes before the document word is at most a few words
# that end in a possessive or a colon, so «Vi er takknemlige for å komme med innspill til …» is none.
DOCUMENT_WORDS = r"(?:høringssvar(?:et)?|høringsuttalelse(?:n)?|høringsinnspill(?:et)?|innspill(?:et)?|uttalelse(?:n)?|uttale|merknader|svar)"
DOCUMENT_TITLE_RE = re.compile(
    rf"^(?:(?:[\wæøåÆØÅ.-]+\s+){{0,4}}(?:[\wæøåÆØÅ.-]+(?:'|s|’)|sin|sitt|vårt|vår|våre)\s+|[^:.!?]{{1,80}}:\s*)?"
    rf"{DOCUMENT_WORDS}\s*(?:[–—:-]\s*|\s(?:til|om|på|fra|vedrørende|vedr\.|i\s+sak(?:en)?)\s)[^!?]{{0,200}}$",
    re.IGNORECASE)
# A referral to the hearing letter and nothing more: «Det vises til høringsbrevet …, datert 19.12.2019.»
LETTER_REFERRAL_RE = re.compile(
    r"^(?:[^.!?]{0,60}\s)?(?:viser|vises)\s+til\s+[^.!?]{0,60}?(?:høringsbrev|høringsnotat|høringen|brev|e-post|"
    r"henvendelse|oversendelse)\w*\b[^!?]{0,160}$", re.IGNORECASE)
# A reprint's source line, a byline: «Avisa Oslo, 31.8.2021: <headline> skrevet av NN, leder i X».
SOURCE_LINE_RE = re.compile(rf"^[A-ZÆØÅ][\wæøåÆØÅ .-]{{1,40}},\s*{_DATE}\s*:\s*\S.*\b(?:skrevet\s+av|av)\s+[A-ZÆØÅ]")

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
