"""A small Norwegian thesaurus of the drug and alcohol field, for finding what a comment is about.

Each :class:`Concept` is a group of words and phrases that people use for the same thing in
Norwegian public-sector and NGO prose: the official term, older and newer names (``sprøyterom`` →
``brukerrom``), near terms and common compounds, abbreviations (``LAR``), the odd Nynorsk or English
form. A measure of a plan takes in every concept whose ``anchors`` its own text uses, so a comment
about ``injeksjonsrom`` reaches a measure that only says ``brukerrom``.

Where the terms come from: written by hand from knowledge of the field — the vocabulary of Norwegian
law and guidance on drug consumption rooms (sprøyteromsloven, brukerromsforskriften), LAR and
substitution treatment, naloxone programmes, drug checking, municipal alcohol and prevention work,
care for older people, housing and work inclusion (Helsedirektoratet's and NAV's usual terms) — not
taken from any evaluation text.

``specific`` concepts say what a comment is about on their own (``nalokson``); the others count as
evidence only beside another clue (``eldre`` and ``alkohol`` together, not either alone).

How terms match (see :func:`pipeline.measures.implicit.concept_hits`): a lower-case term matches the start of
a word, so it covers inflections and compounds it begins (``sprøyterom`` → ``sprøyterommet``,
``sprøyteromsordningen``), and the longest term that fits a word wins (``sprøyteboksene`` is
``sprøyteboks``, not ``sprøyte``); a term of four letters or fewer matches a whole word only, with
an ending (``jobb``, ``jobben``); a term written in capitals is an abbreviation, matched as written
and whole (``LAR``, ``LAR-pasienter``); a phrase matches its words in order, the last one as a start.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    """Words for one thing, and which of them tie it to a measure's text."""

    name: str
    terms: tuple[str, ...]
    specific: bool = False
    anchors: tuple[str, ...] = ()  # the terms that attach the concept to a measure; default: all

    @property
    def anchor_terms(self) -> tuple[str, ...]:
        return self.anchors or self.terms


CONCEPTS: tuple[Concept, ...] = (
    # harm reduction
    Concept("brukerrom", (
        "brukerrom", "sprøyterom", "injeksjonsrom", "inhalasjonsrom", "røykerom", "brukersted",
        "konsumrom", "fixerom", "stikkerom", "sprøyteromsordning", "brukerromsordning",
        "overvåket injisering", "overvåket inntak", "drug consumption room", "safe injection",
    ), specific=True),
    Concept("nalokson", (
        "nalokson", "naloxon", "naloxone", "motgift", "nesespray", "nyxoid", "overdoseforebygg",
        "overdosestrategi", "overdoseteam", "overdosevarsl", "overdosefare", "overdoseberedskap",
        "overdosehjelp", "førstehjelp ved overdose", "livreddende førstehjelp",
    ), specific=True),
    Concept("rusmiddelanalyse", (
        "rusmiddelanalyse", "stoffanalyse", "stofftest", "drug checking", "drug-checking", "analysetjeneste",
        "teststrimler", "fentanyltest", "testing av rusmidler", "testing av stoff", "analyse av rusmidler",
        "analyse av stoff", "teste stoff", "teste rusmidler", "urenheter",
    ), specific=True),
    Concept("sprøyteavfall", (
        "sprøyteboks", "sprøyteavfall", "sprøytefunn", "sprøyteinnsamling", "kanyleavfall",
        "brukte sprøyter", "brukte kanyler", "kastede sprøyter", "sprøyter på avveie",
    ), specific=True),
    Concept("substitusjon", (
        "LAR", "LASSO", "HAB", "legemiddelassistert", "substitusjonsbehandling", "substitusjonslegemid",
        "metadon", "buprenorfin", "subutex", "suboxone", "heroinassistert", "opioidavhengig",
        "opioid substitution", "lavterskel substitusjon",
    ), specific=True, anchors=("LAR", "LASSO", "opioidavhengig", "lavterskel substitusjon")),
    Concept("alkoholmedisin", (
        "medikamentell behandling", "medikamentelt", "antabus", "disulfiram", "naltrekson", "nalmefen",
        "akamprosat", "alkoholsubstitusjon",
    ), specific=True),
    Concept("alkoholavhengighet", (
        "alkoholavhengig", "alkoholproblem", "alkoholmisbruk", "alkoholisme", "alkoholiker",
        "alkoholbehandling", "alkohollidelse", "avhengig av alkohol", "problemdrikking",
    ), specific=True),
    Concept("pårørende", (
        "pårørende", "pårørande", "etterlatte", "etterlatne", "familiemedlem", "søsken",
        "foreldre til barn med rus",
    ), specific=True),
    Concept("krisesenter", ("krisesenter", "krisesentre", "voldsutsatte menn", "beskyttet botilbud"), specific=True),
    Concept("vold", (
        "vold", "overgrep", "trusler", "voldsutsatt", "kriminalitetsutsatt", "ran", "utnytting",
        "utnyttelse", "støttesenter", "utrygghet", "voldshendelse", "voldsepisode",
    )),
    Concept("politi", ("politiet", "politiets", "politidistrikt", "politiarbeid", "politiinnsats", "politibetjent", "ordensmakt")),
    Concept("åpne rusmiljøer", (
        "åpne rusmiljø", "åpent rusmiljø", "åpne russcen", "åpen russcene", "russcenen", "gatemiljø",
        "rusmiljøet i sentrum", "sentrumsarbeid", "mottakssenter", "akuttovernatting", "natthjem", "hospits",
    ), specific=True),
    Concept("nabokommuner", (
        "omkringliggende kommuner", "nabokommune", "omegnskommune", "interkommunal", "kommunene rundt",
        "regionalt samarbeid", "folkeregistrert utenfor", "bosatt utenfor",
    ), specific=True),
    Concept("tilskudd", ("tilskudd", "tilskot", "driftsstøtte", "støtteordning", "prosjektmidler"), specific=True),
    Concept("ideelle og frivillige", (
        "ideell aktør", "ideelle aktører", "ideelle organisasjon", "frivillige organisasjon", "frivillig sektor",
        "frivillige aktører", "ideell sektor", "brukerorganisasjon",
    )),
    Concept("levevaner", (
        "frisklivssentral", "levevane", "levevaner", "kosthold", "fysisk aktivitet", "røykeslutt",
        "sunne vaner", "treningstilbud",
    ), specific=True),
    Concept("fastlege", ("fastlege", "allmennlege", "legekontor", "fastlegeordning", "kommunelege")),
    Concept("lavterskel helse", (
        "lavterskelhelse", "lavterskel helse", "lavterskel helsetilbud", "helsetilbud for rusavhengige",
        "helsetjenester til rusavhengige", "gatehospital", "sykepleie på gata", "helsestasjon for rusavhengige",
    ), specific=True),
    Concept("rusinformasjon", (
        "chemsex", "crack", "nye rusmidler", "nye psykoaktive", "rustrend", "trender i rusbruk", "trender",
        "helseinformasjon", "informasjon om risiko", "brukertestet", "flerkulturell", "minoritetsspråk",
    )),
    Concept("seksuell vold", ("seksuell vold", "seksualisert vold", "seksuelle overgrep", "voldtekt", "play it right")),
    # treatment and follow-up
    Concept("ettervern", (
        "ettervern", "etter endt behandling", "etter behandling", "etter rusbehandling", "etter soning",
        "etter løslatelse", "rusfri", "tilbakefall", "meningsfull hverdag", "meningsfulle dager",
        "meningsfylt hverdag", "dagfolkehøyskole", "erfaringsskole", "recovery", "bedringsprosess",
    ), specific=True),
    Concept("arbeidsinkludering", (
        "IPS", "individuell jobbstøtte", "jobbstøtte", "supported employment", "individual placement",
        "arbeidstrening", "arbeidstiltak", "arbeidspraksis", "arbeidsrettet", "arbeidsinkludering",
        "lavterskel arbeid", "ordinært arbeid", "varig tilrettelagt arbeid", "arbeidsdeltakelse",
        "arbeidslivet", "dagsenter",
    ), specific=True),
    Concept("arbeid", ("jobb", "sysselsetting", "jobbmulighet", "sommerjobb", "lønnet arbeid", "arbeidsplass", "i arbeid")),
    Concept("koordinator", (
        "koordinator", "kasteball", "individuell plan", "los", "losfunksjon", "sammenhengende tjenester",
        "helhetlige tjenester", "helhetlig oppfølging",
    )),
    Concept("rask psykisk helsehjelp", (
        "RPH", "rask psykisk helsehjelp", "psykisk helsehjelp", "lavterskel psykisk", "psykisk helsetjeneste",
        "psykisk helse og rus",
    )),
    Concept("behandling", (
        "avrusning", "behandlingsplass", "døgnbehandling", "rusbehandling", "behandlingstilbud",
        "institusjonsplass", "spesialisthelsetjeneste", "TSB", "tverrfaglig spesialisert", "rusinstitusjon",
        "poliklinikk",
    )),
    Concept("bolig", (
        "bolig", "botilbud", "bofellesskap", "samlokaliserte", "housing first", "bolig først", "hybel",
        "sted å bo", "bostedsløs", "husløs", "bostedsløshet",
    )),
    # children, young people, school
    Concept("barn og unge", (
        "ungdom", "unge", "barn og unge", "born og unge", "tenåring", "mindreårig", "under 18",
        "unge voksne", "ungdomsskole", "videregående", "ungdomsmiljø",
    )),
    Concept("skole", (
        "skole", "osloskole", "elev", "elevoppfølging", "lærer", "rusundervisning",
        "undervisning om rus", "skolehelsetjeneste", "helsesykepleier", "rådgiver på skolen",
    )),
    Concept("frafall", (
        "frafall", "falle ut av skole", "falle ut av opplæring", "droppe ut", "dropper ut", "fullføre skole",
        "skolefravær", "fullføre videregående",
    ), specific=True),
    Concept("barnevern", (
        "barnevern", "barnevernet", "akuttinstitusjon", "fosterhjem", "omsorgsovertakelse", "barneverntjeneste",
    )),
    Concept("utekontakt", (
        "ruskonsulent", "utekontakt", "oppsøkende ungdomsarbeid", "ungdomsarbeider", "SLT", "fritidsklubb",
        "natteravn",
    ), specific=True),
    Concept("oppsøkende", ("oppsøkende", "oppsøke", "feltarbeid", "ambulant")),
    Concept("fritid", ("fritidstilbud", "fritidsaktivitet", "aktivitetstilbud", "gratis aktivitet", "aktivitetskort")),
    Concept("forebygging", (
        "forebygg", "rusforebygg", "rusmiddelforebygg", "tidlig innsats", "primærforebygg", "førebygg",
    )),
    Concept("kunnskapsbasert", (
        "kunnskapsbasert", "evidensbasert", "forskningsbasert", "dokumentert effekt", "virksomme tiltak",
        "effektive tiltak", "anerkjente metoder", "kunnskapsgrunnlag",
    )),
    Concept("evaluering", ("effektevaluering", "evaluering", "evaluere", "følgeforskning", "effektstudie", "forskning")),
    # older people, alcohol and medicines
    Concept("eldre", (
        "eldre", "seniorer", "seniorsenter", "seniorsentr", "pensjonist", "alderdom", "aldring", "eldreomsorg", "hjemmetjeneste",
        "hjemmesykepleie", "sykehjem", "over 65", "alderspensjon", "eldreråd",
    )),
    Concept("alkohol", (
        "alkohol", "drikking", "drikkevaner", "drikker", "drikke", "fyll", "promille", "brennevin",
        "vin", "øl", "alkoholvaner", "alkoholbruk", "alkoholforbruk",
    )),
    Concept("legemidler", (
        "legemidler", "legemiddel", "medisiner", "medikamenter", "piller", "tabletter", "benzodiazepin",
        "vanedannende", "sovemedisin", "sovepille", "beroligende", "smertestillende", "b-preparat",
        "reseptbelagt", "legemiddelbruk", "medisinbruk",
    )),
    Concept("kartlegging", (
        "motiverende intervju", "AUDIT", "kartleggingsverktøy", "screening", "kort intervensjon",
        "korte intervensjoner", "tidlig identifisering",
    )),
    # digital work
    Concept("selvhjelp", ("selvhjelp", "sjølvhjelp", "foreldreguide", "app", "appen", "nettkurs", "nettbasert"), specific=True),
    Concept("sosiale medier", (
        "sosiale medier", "tiktok", "snapchat", "instagram", "facebook", "influenser", "nettpatrulje",
    ), specific=True),
    Concept("digital oppsøking", (
        "digital oppsøkende", "digitalt oppsøkende", "oppsøkende på nett", "oppsøkende arbeid på nett",
        "chat", "chatte",
    ), specific=True),
    Concept("kompetanse", (
        "kompetanseheving", "kompetansehevende", "opplæring", "e-læring", "kurs for ansatte", "kompetansemodul",
        "kompetanse om rus",
    )),
)

# Places (Oslo's districts and areas, Norwegian cities and regions): a comment that names one says
# where, not which measure. Lower case; a name matches as a whole word.
PLACE_NAMES: frozenset[str] = frozenset("""
    oslo oslos norge norges bergen trondheim stavanger drammen kristiansand tromsø bodø bærum asker lillestrøm
    fredrikstad sarpsborg skien tønsberg moss hamar lillehammer ålesund molde haugesund sandnes romerike
    viken akershus vestland rogaland innlandet østfold buskerud vestfold telemark agder nordland troms finnmark
    trøndelag møre romsdal
    alna bjerke frogner grorud grünerløkka løkka nordstrand sagene hanshaugen stovner ullern østensjø
    groruddalen søndre nordre vestre aker sentrum marka gamle grønland tøyen vaterland storgata skippergata
    plata jernbanetorget karl johan majorstuen holmlia furuset romsås mortensrud bøler oppsal
    europa europeisk skandinavia norden sverige danmark københavn stockholm portugal lisboa
""".split())
