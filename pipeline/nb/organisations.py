"""Words that mark a name as an organisation's, and the words around senders in hearing responses.

The one organisation vocabulary of the pipeline. An organisation marker or ending (``Fagforbundet``,
``Helseetaten``, ``Bydel``) says a name is an organisation's; with the words that are no one's name
(``ORGANISATION_WORDS``) it says a name is not a person's (:func:`pipeline.outputs.masking.is_private_person`).
The other lists let :mod:`pipeline.comments.senders` find who speaks: the roles people sign with, the
verbs an organisation speaks with («X viser til», «X støtter») and the bodies whose positions a response
reports but which never are its sender (departementet, utvalget).
"""

# Whole words that mark a name as an organisation's: «Bydel Alna», «Kirkens Bymisjon», «NAV».
ORGANISATION_MARKERS = frozenset({
    "bydel", "bydelen", "etat", "kommune", "forening", "forbund", "råd", "senter", "sykehus", "universitet",
    "stiftelse", "organisasjon", "nettverk", "politidistrikt", "kirkens", "bymisjon", "frelsesarmeen",
    "skole", "barnehage", "avdeling", "gruppe", "lag", "utvalg", "klubb", "selskap", "direktorat", "tilsyn",
    "departement", "institutt", "klinikk", "tjeneste", "parti", "kontor", "kors", "byråd", "byrådet",
    "statsforvalteren", "politiet", "nav", "fellesskap", "aksjon", "union",
})
# Words that are never part of a person's name but mark no organisation on their own: the words of a
# letter («høringssvar», «vennlig hilsen»), function words, and words organisations' names share with
# places and plain text («Oslo», «Norges», «Røde», «Helse», «Gamle»).
NOT_NAME_WORDS = frozenset({
    "oslo", "norge", "norges", "norsk", "norske", "nasjonal", "nasjonalt", "nasjonale", "helse", "stat",
    "staten", "røde", "blå", "gamle", "prosjekt", "tiltak", "høringssvar", "høringsuttalelse",
    "høringsinnspill", "innspill", "uttalelse", "svar", "vennlig", "hilsen", "mvh", "fra", "til", "om", "og",
    "i", "for", "ukjent", "avsender",
})
ORGANISATION_WORDS = ORGANISATION_MARKERS | NOT_NAME_WORDS  # whole words that never are part of a person's name
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
    "ombud", "ombudet", "panel", "panelet", "bystyre", "bystyret", "styre", "styret", "sekretariat",
    "sekretariatet", "sentre", "sentrene", "lag", "politilederlag", "samarbeidsorgan",
    "helsetilsyn", "forum", "forumet", "kompetansesenter", "nemnd", "nemnda", "sentral",
)
# A bare «Foreningen», «Kommunen» or «Politiet» refers back to the sender but does not name it.
GENERIC_REFERENCES = frozenset(ORGANISATION_SUFFIXES) | {"politiet", "byrådet"}

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
# A word that ends so is a role as well: «gruppeleder», «kommunalsjef», «seniorsekretær».
ROLE_ENDINGS = ("leder", "direktør", "sjef", "rådgiver", "sekretær")

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
