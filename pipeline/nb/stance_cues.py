"""Stance cues of Norwegian public-sector prose, as data: what a sentence says when it supports,
criticises, proposes or asks, and the words that change what a cue means.

:mod:`pipeline.comments.stance` turns them into features (a cue in the sender's own clause, negated, or in a
clause that reports someone else's position) whose weights are fitted on labelled responses. Each
cue is a regular expression over lower-cased text; the number after it was its hand-set weight
before the fit and is kept as a prior (the feature is the sum of the weights of the cues found).
"""

_W = r"[\wæøå]*"  # the rest of a word: inflections and compounds
CUES: dict[str, list[tuple[str, float]]] = {
    "support": [
        (rf"\bstøtte[rs]?\b(?! opp)(?!{_W}ordning)", 1.6),
        (r"\b(?:er|ser) (?:svært |veldig |derfor |også )?positiv[et]?\b|\bse[rt]? (?:det )?(?:som )?positivt\b", 1.6),
        (r"\bglad(?:e)? for\b", 1.6),
        (r"\bberømme[rs]?\b", 1.8),
        (r"\bsetter (?:stor )?pris på\b", 1.6),
        (r"\b(?:er )?enig(?:e)? i\b", 1.4),
        (r"\bslutte[rt]? (?:oss|seg) til\b", 1.6),
        (r"\bvelkommen\b|\bdeler (?:\w+ )?(?:mål\w*|syn\w*|vurdering\w*)\b", 1.4),
        (r"\bgode? tiltak\b|\b(?:riktig|godt|tydelig)e? (?:utgangspunkt|grep|profil|retning)\b", 1.0),
        (r"\b(?:er|var) (?:svært |veldig |spesielt )?(?:bra|gode?|riktig|viktig) at\b", 1.0),
        (r"\bimøteser\b", 1.2),
        (r"\btakker for\b", 0.5),
        (r"\bgode erfaringer\b", 0.6),
        (r"\betterlengtet\b|\bi tråd med\b|\bet (?:godt|viktig) (?:grep|tiltak|alternativ|bidrag)\b", 1.2),
        (r"\b(?:er|blir) (?:svært |veldig )?(?:bra|godt) (?:om|at)\b|\bvil gjerne (?:være|bidra|delta)\b", 1.0),
        (r"\bstille[rt]? (?:seg|oss) (?:ikke )?(?:bak|positiv\w*)\b|\bgå[rt]? inn for\b|\bsier ja til\b|\btilslutning\b|\bhar vår støtte\b", 1.6),
        (r"\btakk(?:er)? (?:til|for)\b|\bapplaudere[rs]?\b|\bønske[rs]? (?:\w+ )?velkommen\b", 0.8),
    ],
    "critique": [
        (r"\bsavne[rs]?\b", 1.8),
        (r"\bbekymr(?:et|ede|ing)\b", 1.6),
        (r"\busikr?e?\b", 0.9),
        (r"\b(?:ikke|lite) realistisk\b", 1.6),
        (r"\b(?:i )?(?:for |svært )?liten grad\b", 1.3),
        (r"\bfor (?:lite|få|kort|svak)\b", 1.3),
        (r"\b(?:hjelper|betyr) lite\b|\bikke lenger\b|\bsjelden\b|\btilfeldig\b", 1.0),
        (r"\bvanskelig\w*\b|\bkrevende\b|\bdårlig\w*\b", 0.8),
        (r"\b(?:vil )?(?:på)?peke på at\b|\bpåpeke[rs]?\b", 0.9),
        (r"\b(?:innsparing|kutt|nedskjæring)\w*\b|\bikke (?:er )?(?:tilført|finansiert|fulgt opp)\b", 0.9),
        (r"\bikke (?:\w+ ){0,3}(?:nok|tilstrekkelig\w*)\b", 1.4),
        (r"\bmangle[rn]?\b|\bmangel(?:en)? på\b", 1.2),
        (r"\buklar[et]?\b", 1.1),
        (r"\b(?:sier|nevner) (?:lite|ingenting|ikke noe)\b", 1.6),
        (r"\bproblematisk\b|\buheldig\b|\bbeklage[rs]?\b|\bdessverre\b", 1.3),
        (r"\buenig\w*\b|\bgår imot\b|\bfraråde[rs]?\b|\breagerer på\b", 1.8),
        (r"\bkritisk\w* til\b|\bskeptisk\w*\b", 1.6),
        (r"\bkan ikke (?:\w+ ){0,2}(?:forutsette|forvente|regne med)\b", 1.4),
        (r"\bburde (?:ha )?(?:vært|\w+t)\b", 0.8),
        (r"\bskaper uro\b|\bsvekke[rs]?\b|\bsvak(?:t|e)?\b", 1.0),
        (r"\bi tvil\b|\blite troverdig\b|\bikke avklart\b", 1.3),
        (r"\buten (?:fast|flere|økte|egne|nok)\b|\bikke (?:har )?(?:ressurser|kapasitet|midler)\b", 0.9),
        (r"\bforutsetter\b", 0.5),
        (r"\b(?:ser|finner) (?:ikke|verken) (?:\w+ ){0,2}(?:behov|nytte|grunn|poeng)\w*\b|\bingen (?:grunn|behov)\b", 1.4),
        (r"\bskuffe\w*\b|\bkan ikke (?:godta|akseptere)\b|\bfeil signal\w*\b|\bkritiser\w*\b", 1.4),
        (r"\bmen\b", 0.3),
        (r"\blikevel\b", 0.4),
    ],
    "proposal": [
        (r"\bforesl[åa](?:r|s)?\b", 1.6),
        (r"\bforslag\b", 0.6),
        (r"\bber (?:\w+ ){0,2}om\b|\bber (?:byrådet|kommunen)\b", 1.6),
        (r"\bfølgende (?:må|bør)\b|\bskulle ønske\b", 1.2),
        (r"\banbefale[rs]?\b", 1.5),
        (r"\boppfordre[rs]?\b", 1.4),
        (r"\bbør\b", 1.1),
        (r"\bmå\b", 0.7),
        (r"\bønske[rs]? (?:at|en|et|også)\b", 0.9),
        (r"\bi tillegg\b|\bogså omfatte\b|\btas (?:inn|med)\b|\blegges til\b", 0.6),
        (r"\butvide[rs]?\b|\butvides\b", 0.5),
        (r"\b(?:det )?trengs\b|\bforventer\b|\bråde[rs]? (?:\w+ ){0,3}til\b|\bkreve[rs]?\b|\betterlyse[rs]?\b|\bbes\b", 1.2),
        (r"\bvi vil (?:be|foreslå|anbefale|understreke)\b|\bskal vi\b", 0.8),
    ],
    "question": [
        (r"\?", 2.2),
        (r"\b(?:vil|ønsker) (?:gjerne )?vite\b|\blurer på\b|\bspør(?:er)? (?:om|hvordan|hva)\b", 1.4),
        (r"\bavklar\w*\b", 0.7),
    ],
}
# Evaluative statements without a cue verb: what the sender says a thing does or is.
EVALUATIVE: dict[str, list[tuple[str, float]]] = {
    "critique": [
        (r"\bi strid med\b|\bbryter med\b|\bstrider mot\b", 1.6),
        (rf"\bstigma{_W}\b|\butenforskap\b|\bmarginaliser{_W}\b", 0.8),
        (r"\b(?:altfor|for) (?:knapp|kort|lav|høy|dyr|svak|snever|vag)\w*\b", 1.2),
        (r"\b(?:føre|fører|lede|leder) til (?:mer|økt|flere|større|dårligere|mindre)\b", 1.0),
        (rf"\bfrykte[rt]?\b|\bredde? for\b|\bbekymring{_W}\b|\brisiko for\b|\bfare for\b", 1.0),
        (r"\b(?:urimelig|uakseptabel|uforsvarlig|uholdbar|uklok|urealistisk|alvorlig|negativ)\w*\b", 1.2),
        (r"\b(?:ramme[rs]?|skade[rs]?|undergrave[rs]?|svekke[rs]?|forverre[rs]?|hindre[rs]?)\b", 0.8),
        (r"\bvirker mot sin hensikt\b|\bikke virker\b|\bhar ikke (?:effekt|virket)\b", 1.4),
        (r"\bsvikt\w*\b|\bglippsone\w*\b|\bmangelfull\w*\b|\bfeil\b", 0.9),
    ],
    "support": [
        (r"\b(?:gode|positive) (?:erfaringer|resultater|effekter)\b|\bhar gitt (?:færre|bedre|mindre|tryggere)\b", 1.2),
        (r"\b(?:et )?(?:skritt|steg) i (?:riktig|rett) retning\b|\bpå høy tid\b|\brett og riktig\b", 1.4),
        (r"\b(?:grundig|godt|solid|viktig) (?:arbeid|bidrag|grep|forslag)\b|\bhøy kvalitet\b", 1.0),
        (r"\b(?:fungerer|virker) (?:godt|bra)\b|\bredder liv\b|\bhar vist seg\b", 1.0),
    ],
}

# Proposal cues that endorse: negated («vi kan aldri anbefale»), they oppose.
ENDORSING_RE = r"^(?:anbefal|foreslå|gå inn for|ønske)"

# Negation and its scope: a cue preceded by one of these within NEGATION_WINDOW words flips.
NEGATION_RE = r"\b(?:ikke|ikkje|aldri|ingen|intet|verken|hverken|heller ikke|på ingen måte|langt ifra)\b"
NEGATION_WINDOW = 4
# A cue followed by a negation within two words is negated too: «støtter ikke», «anbefaler vi ikke».
NEGATION_AFTER_WINDOW = 2
# Clear opposition that needs no flipping: counted as critique.
OPPOSITION_RE = r"\b(?:går imot|gå imot|motsetter seg|fraråde[rs]?|avviser|kan ikke (?:\w+ ){0,2}støtte|tar avstand fra)\b"

# Someone else's position: a body and a verb of saying or proposing. A cue in the same clause is
# reported, not the sender's own, unless the sender takes a stand in a clause of its own.
REPORTED_SUBJECT_RE = (
    r"(?:departementet|utvalget|\w+utvalget|regjeringen|flertallet|mindretallet|komiteen|byrådet|stortinget|"
    r"direktoratet|\w+direktoratet|høringsnotatet|forslaget|lovforslaget|proposisjonen|nou-en|utredningen|"
    r"kritikerne|motstanderne|tilhengerne|politiet|statsråden|ministeren|helseministeren|[a-zæøå]+(?:partiet)|"
    r"(?:noen|andre|mange) (?:har|mener|hevder))"
)
REPORTED_VERB_RE = (
    r"(?:foreslår|foreslo|foreslått|mener|mente|anbefaler|anbefalte|ønsker|ønsket|vil|går inn for|gikk inn for|"
    r"legger opp til|la opp til|peker på|skriver|konkluderer|hevder|tar til orde for|åpner for|har foreslått|"
    r"har anbefalt|viser til|beskriver|argumenterer|er bekymret|er kritiske?|er uroet)"
)
# Where a clause ends and the sender may take a stand of its own: «…, og dette støtter vi».
CLAUSE_BREAK_RE = r"[;–—]\s|,\s+(?=(?:men|og det|og dette|noe|dette|det|som vi|mens|likevel|derimot)\b)|\.\s"
