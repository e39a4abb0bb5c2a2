"""Words that mark a name as an organisation's, and the words around senders in hearing responses.

An organisation word or ending (``Fagforbundet``, ``Helseetaten``, ``Bydel``) says a name is not a
person's (:func:`pipeline.outputs.masking.is_private_person`); the other lists let
:mod:`pipeline.comments.senders` find who speaks: signature phrases («styret i X», «v/ leder»), the roles
people sign with, the verbs an organisation speaks with («X viser til», «X støtter») and the bodies
whose positions a response reports but which never are its sender (departementet, utvalget).
"""

ORGANISATION_WORDS = frozenset({  # whole words that never are part of a person's name
    "bydel", "bydelen", "etat", "kommune", "forening", "forbund", "råd", "senter", "sykehus", "universitet",
    "stiftelse", "organisasjon", "nettverk", "politidistrikt", "kirkens", "bymisjon", "frelsesarmeen",
    "skole", "barnehage", "avdeling", "gruppe", "lag", "utvalg", "klubb", "selskap", "direktorat", "tilsyn",
    "departement", "institutt", "klinikk", "tjeneste", "parti", "kontor", "kors", "røde", "blå", "oslo",
    "norge", "norges", "norsk", "norske", "nasjonal", "nasjonalt", "nasjonale", "helse", "stat", "staten",
    "byråd", "byrådet", "statsforvalteren", "politiet", "nav", "gamle", "fellesskap", "aksjon", "union",
    "prosjekt", "tiltak", "høringssvar", "høringsuttalelse", "høringsinnspill", "innspill", "uttalelse",
    "svar", "vennlig", "hilsen", "mvh", "fra", "til", "om", "og", "i", "for", "ukjent", "avsender",
})
ORGANISATION_SUFFIXES = (  # a word ending so is an organisation: Fagforbundet, Eldrerådet, Helseetaten
    "forening", "foreningen", "forbund", "forbundet", "rådet", "råd", "etat", "etaten", "kommune",
    "kommunen", "organisasjon", "organisasjonen", "nettverk", "nettverket", "stiftelse", "stiftelsen",
    "senter", "senteret", "sentret", "sentralen", "sykehus", "sykehuset", "universitet", "universitetet",
    "høgskole", "høgskolen", "høyskole", "høyskolen", "skole", "skolen", "barnehage", "barnehagen",
    "avdeling", "avdelingen", "gruppe", "gruppen", "slag", "laget", "lauget", "utvalg", "utvalget",
    "klubb", "klubben", "selskap", "selskapet", "direktorat", "direktoratet", "tilsyn", "tilsynet",
    "departement", "departementet", "institutt", "instituttet", "klinikk", "klinikken", "tjeneste",
    "tjenesten", "tjenester", "kontor", "kontoret", "partiet", "huset", "hjemmet", "stemmen", "misjon",
    "misjonen", "armeen", "politiet", "distrikt", "distriktet", "kirke", "kirken", "menighet",
    "menigheten", "allianse", "alliansen", "aksjonen", "unionen", "samvirke", "kollektivet",
    "fellesskapet", "prosjektet", "akademi", "akademiet", "byrå", "byrået", "hjelp", "hjelpen", "bydel",
    "bydelen", "apotek", "apoteket", "fond", "fondet", "verket",
)
# Added for senders found in real responses: ombud, panels, councils, boards.
ORGANISATION_SUFFIXES += (
    "ombud", "ombudet", "panel", "panelet", "bystyre", "bystyret", "styre", "styret", "sekretariat",
    "sekretariatet", "sentre", "sentrene", "lag", "politilederlag", "samarbeidsorgan",
    "helsetilsyn", "tilsynet", "forum", "forumet", "kompetansesenter", "nemnd", "nemnda", "sentral",
)

# Roles a person signs or writes with on behalf of an organisation («NN, generalsekretær»).
ROLE_WORDS = frozenset({
    "leder", "nestleder", "styreleder", "daglig", "generalsekretær", "direktør", "avdelingsdirektør",
    "etatsdirektør", "fagdirektør", "seksjonssjef", "avdelingssjef", "enhetsleder", "stabssjef",
    "politimester", "visepolitimester", "bydelsdirektør", "kommunedirektør", "rådmann", "ordfører",
    "byråd", "byrådsleder", "rådgiver", "seniorrådgiver", "spesialrådgiver", "fagsjef", "fagansvarlig",
    "sekretær", "generalsekretæren", "president", "visepresident", "forbundsleder", "sjefslege",
    "overlege", "professor", "førsteamanuensis", "forsker", "seniorforsker", "kontaktperson",
    "saksbehandler", "juridisk", "administrerende", "adm.", "konstituert", "fungerende", "medlem",
    "talsperson", "koordinator", "prosjektleder", "daglig leder", "helsesykepleier", "sykepleier",
})

# Bodies whose proposals and views a response reports: never its sender.
REPORTED_BODY_RE = (
    r"(?:departement(?:et)?|utvalg(?:et)?|regjering(?:en)?|storting(?:et)?|flertall(?:et)?|"
    r"mindretall(?:et)?|komit[eé]en|lovforslag(?:et)?|forslag(?:et)?|reform(?:en)?|høringsnotat(?:et)?|"
    r"innstilling(?:en)?|proposisjon(?:en)?|utredning(?:en)?|nou(?:-en|en)?)"
)

# Verbs that take a stand: a one-word proper name before or after one of them speaks («Actis går imot»).
STANCE_VERBS = frozenset({"støtter", "går", "mener", "anbefaler", "foreslår", "krever", "advarer", "fraråder",
                          "etterlyser", "avviser"})

# Verbs an organisation speaks with at the start of a sentence: «Legeforeningen støtter …».
SPEECH_VERBS = frozenset({
    "viser", "takker", "er", "har", "støtter", "mener", "vil", "ønsker", "slutter", "stiller", "gir",
    "anbefaler", "foreslår", "ber", "savner", "understreker", "påpeker", "vektlegger", "registrerer",
    "merker", "deler", "går", "kan", "vurderer", "finner", "ser", "avgir", "uttaler", "oversender",
    "sender", "legger", "berømmer", "applauderer", "advarer", "frykter", "etterlyser", "krever",
    "imøteser", "tar", "noterer", "forutsetter", "erkjenner", "peker", "velger", "oppfordrer", "hilser",
    "synes", "tror", "jobber", "arbeider", "representerer", "organiserer", "samler", "mottok", "fikk",
    "uttrykker", "understreket", "mente", "støttet", "skriver", "sa", "sier",
})
