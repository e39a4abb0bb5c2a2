"""Synthetic hearing rounds of any size, for benchmarks: generated, not copied from the seeds.

A round has the bundled plan and ``n`` responses. Each response comes from a generated sender (a
district, an agency, an organisation or a private person), has an opening, 2–12 comment paragraphs
or list items drawn from a dozen themes (sentences assembled from parts, so no two are alike),
measure codes written in the forms responses use (``7S``, ``tiltak 11F``, ``3F-5F``), and a
signature. A share of the responses are campaign letters (one text, many signers, each with a small
personal change); a share have OCR-style damage (:func:`eval.degrade.degrade`) and hard line breaks
with hyphenation. Deterministic for a given seed.

    python bench/synthetic.py OUT_DIR --responses 500 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from degrade import degrade  # noqa: E402

from pipeline import config  # noqa: E402

PLACES = [
    "Alna",
    "Bjerke",
    "Frogner",
    "Gamle Oslo",
    "Grorud",
    "Grünerløkka",
    "Nordre Aker",
    "Nordstrand",
    "Sagene",
    "St. Hanshaugen",
    "Stovner",
    "Søndre Nordstrand",
    "Ullern",
    "Vestre Aker",
    "Østensjø",
]
ORG_KINDS = [
    "pensjonistforening",
    "idrettslag",
    "velforening",
    "ungdomsråd",
    "eldreråd",
    "næringsforening",
    "frivilligsentral",
    "menighet",
    "borettslag",
    "foreldreutvalg",
]
AGENCIES = [
    "Velferdsetaten",
    "Helseetaten",
    "Utdanningsetaten",
    "Barne- og familieetaten",
    "Boligbygg",
    "Oslo politidistrikt",
    "Sykehjemsetaten",
    "Kulturetaten",
]
FIRST = [
    "Anne",
    "Kari",
    "Ingrid",
    "Hilde",
    "Marit",
    "Sara",
    "Nora",
    "Fatima",
    "Aisha",
    "Liv",
    "Ola",
    "Per",
    "Jonas",
    "Tarek",
    "Ali",
    "Erik",
    "Lars",
    "Magnus",
    "Sindre",
    "Mohammed",
]
LAST = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Haugen",
    "Berg",
    "Moen",
    "Amini",
    "Khan",
    "Ali",
    "Bakke",
    "Dahl",
    "Lie",
    "Strand",
]

# theme: (subjects, concerns, measure codes it is about)
THEMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "bolig": (
        [
            "kommunale boliger med oppfølging",
            "boliger for personer i aktiv rus",
            "bofellesskap for unge",
            "Housing First-tilbudet",
        ],
        [
            "ventetiden er for lang",
            "mange blir boende på hospits",
            "naboene må involveres",
            "oppfølgingen i hjemmet må styrkes",
        ],
        ["13F", "12S"],
    ),
    "brukerrom": (
        ["et nytt brukerrom", "brukerrommet i sentrum", "åpningstidene i brukerrommet"],
        ["køene er lange hver kveld", "røyking må tillates", "overdosene må ned", "tilbudet må være åpent om natten"],
        ["10S", "11S"],
    ),
    "bydelsokonomi": (
        ["bydelenes økonomi", "rammene til bydelene", "finansieringen av tiltakene"],
        [
            "tiltakene følger ikke med midler",
            "bydelene har kuttet i tjenestene",
            "innsparingene rammer lavterskeltilbudene",
        ],
        ["1F", "2F"],
    ),
    "skole": (
        ["samarbeidet mellom skole og bydel", "kontaktpunktet for skolene", "rusundervisningen i skolen"],
        [
            "elever med høyt fravær fanges ikke opp",
            "skolehelsetjenesten har for lite bemanning",
            "lærerne trenger kompetanse om rus",
        ],
        ["14F", "15F"],
    ),
    "eldre": (
        ["eldre og alkohol", "samtaler om alkohol og legemidler", "hjemmetjenesten"],
        ["mange eldre drikker mer enn før", "fastlegene spør sjelden om alkohol", "e-læringskurs når ikke de ansatte"],
        ["20F", "21F"],
    ),
    "parorende": (
        ["tilbudet til pårørende", "pårørende barn", "foreldre til ungdom som ruser seg"],
        [
            "pårørende vet ikke hvor de skal henvende seg",
            "belastningen på familien er stor",
            "tilbudet må nå pårørende tidlig",
        ],
        ["9S"],
    ),
    "analyse": (
        ["rusmiddelanalyse", "varsler om farlige stoffer", "analysetjenesten"],
        [
            "nitazener og fentanyl gir flere overdoser",
            "tilbudet må være anonymt og gratis",
            "varslene må nå ut på festivaler",
        ],
        ["4S", "5S"],
    ),
    "arbeid": (
        ["arbeidstrening", "individuell jobbstøtte", "meningsfulle dager"],
        ["deltakerne trenger en vei til ordinært arbeid", "tilskuddene er ettårige", "egenandelen må fjernes"],
        ["16S", "17S", "18S", "19S"],
    ),
    "politi": (
        ["samarbeidet med politiet", "tryggheten i sentrum", "voldsutsatte i rusmiljøet"],
        [
            "tillit bygges ikke med flere patruljer",
            "kvinner i rusmiljøet utsettes for vold",
            "næringsdrivende spørres sjelden",
        ],
        ["8S"],
    ),
    "kompetanse": (
        ["kompetansen til de ansatte", "opplæringsprogrammet", "sosialfaglig kompetanse"],
        [
            "de ansatte trenger tid til opplæring",
            "vikarer kan ikke bygge relasjoner",
            "erfaringskonsulenter må tas i bruk",
        ],
        ["6F", "9F", "1S"],
    ),
    "digitalt": (
        ["digitale tiltak", "oppsøkende arbeid på nett", "foreldreguidene på nett"],
        [
            "ungdom kjøper rusmidler via sosiale medier",
            "eldre bruker ikke slike kanaler",
            "oversikten over aktiviteter må gjøres kjent",
        ],
        ["18F", "19F"],
    ),
    "prosess": (
        ["høringsprosessen", "brukermedvirkningen", "involveringen av brukerorganisasjonene"],
        ["fristen var for kort", "innspillene er ikke tatt med", "høringen ble ikke kjent"],
        [],
    ),
}
OPENINGS = [
    "Vi viser til høringsbrev om handlingsplanen og takker for muligheten til å gi innspill.",
    "{sender} har behandlet saken og har følgende merknader.",
    "Takk for invitasjonen til å uttale oss om planen.",
]
STANCES = [
    "Vi støtter {subject}, men {concern}.",
    "Vi savner en plan for {subject}: {concern}.",
    "Vi foreslår at {subject} styrkes, fordi {concern}.",
    "Hvordan vil byrådet sikre {subject} når {concern}?",
    "Erfaringen vår er at {concern}, og {subject} er derfor viktig.",
    "{Subject} bør prioriteres i {code_phrase}, siden {concern}.",
    "Vi er bekymret for {subject}; {concern}.",
]
CODE_FORMS = ["tiltak {code}", "{code}", "tiltakene {range}", "({code})"]
CAMPAIGN = (
    "Vi er en gruppe innbyggere som er bekymret for {subject}. Vi mener at {concern}, og ber om at "
    "kommunen involverer nabolaget før noe vedtas. Vi støtter målet om færre overdoser, men det må skje "
    "på en måte som ivaretar alle som bor i området. Vi ber også om at det blir vakthold og renhold "
    "rundt tilbudet hele døgnet, og at det holdes et åpent møte i bydelen før saken avgjøres."
)


def _sender(rng: random.Random) -> tuple[str, bool]:
    kind = rng.random()
    if kind < 0.2:
        return f"Bydel {rng.choice(PLACES)}", False
    if kind < 0.35:
        return rng.choice(AGENCIES), False
    if kind < 0.7:
        return f"{rng.choice(PLACES)} {rng.choice(ORG_KINDS)}", False
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}", True


def _code_phrase(rng: random.Random, codes: list[str]) -> str:
    if not codes:
        return "planen"
    code = rng.choice(codes)
    form = rng.choice(CODE_FORMS)
    if "{range}" in form:
        number, area = int(code[:-1]), code[-1]
        return form.format(range=f"{number}{area}-{number + rng.randint(1, 2)}{area}")
    return form.format(code=code)


def _paragraph(rng: random.Random, theme: str) -> str:
    subjects, concerns, codes = THEMES[theme]
    sentences = []
    for _ in range(rng.randint(1, 4)):
        subject, concern = rng.choice(subjects), rng.choice(concerns)
        sentence = rng.choice(STANCES).format(
            subject=subject,
            Subject=subject[0].upper() + subject[1:],
            concern=concern,
            code_phrase=_code_phrase(rng, codes),
        )
        sentences.append(sentence[0].upper() + sentence[1:])
    if codes and rng.random() < 0.5:
        sentences.append(f"Dette gjelder særlig {_code_phrase(rng, codes)}.")
    return " ".join(sentences)


def _letter(rng: random.Random, sender: str, private: bool) -> str:
    themes = rng.sample(sorted(THEMES), k=rng.randint(2, 7))
    parts = [f"Høringssvar fra {sender}", rng.choice(OPENINGS).format(sender=sender)]
    for theme in themes:
        if rng.random() < 0.25:
            parts.append(f"{theme.capitalize()}")  # a section heading
        if rng.random() < 0.2:
            parts.append("Vi vil særlig peke på følgende:")
            parts.append("\n".join(f"- {_paragraph(rng, theme)}" for _ in range(rng.randint(2, 4))))
        else:
            parts.extend(_paragraph(rng, theme) for _ in range(rng.randint(1, 4)))
    closing = "Med vennlig hilsen" if rng.random() < 0.8 else "Hilsen"
    parts.append(f"{closing}\n{sender}" + ("" if private else f"\n{rng.choice(FIRST)} {rng.choice(LAST)}, leder"))
    return "\n\n".join(parts) + "\n"


def _campaign_letter(rng: random.Random, base: str, signer: str) -> str:
    parts = ["Høringssvar", base]
    if rng.random() < 0.5:
        parts.append(f"Jeg bor selv i nærheten og ser dette hver dag. {_paragraph(rng, 'brukerrom')}")
    parts.append(f"Med vennlig hilsen\n{signer}")
    return "\n\n".join(parts) + "\n"


def _hard_wrap(text: str, rng: random.Random) -> str:
    """Lines broken at ~70 characters, some long words hyphenated across the break (as in PDFs)."""
    out = []
    for block in text.split("\n\n"):
        lines = textwrap.wrap(block, width=rng.randint(60, 80), break_long_words=False) or [""]
        for i in range(len(lines) - 1):
            words = lines[i + 1].split(" ", 1)
            if len(words[0]) > 9 and rng.random() < 0.3:
                cut = len(words[0]) // 2
                lines[i] += " " + words[0][:cut] + "-"
                lines[i + 1] = words[0][cut:] + (" " + words[1] if len(words) > 1 else "")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def generate_round(
    out_dir: Path, n: int, seed: int = 1, campaign_share: float = 0.1, damaged_share: float = 0.3
) -> Path:
    """Write a round folder (``plan/`` = the bundled plan, ``responses/`` = ``n`` text files)."""
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    (out_dir / "responses").mkdir(parents=True, exist_ok=True)
    shutil.copytree(config.DEFAULT_ROUND_DIR / "plan", out_dir / "plan", dirs_exist_ok=True)
    n_campaign = int(n * campaign_share)
    base = CAMPAIGN.format(subject=rng.choice(THEMES["brukerrom"][0]), concern=rng.choice(THEMES["brukerrom"][1]))
    for i in range(n):
        if i < n_campaign:
            signer = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            text, name = _campaign_letter(rng, base, signer), f"innbygger-{i:05d}"
        else:
            sender, private = _sender(rng)
            text, name = _letter(rng, sender, private), f"svar-{i:05d}"
        if rng.random() < damaged_share:
            text = degrade(_hard_wrap(text, rng), rate=rng.uniform(0.2, 0.8), seed=seed * 100_003 + i)
        (out_dir / "responses" / f"{name}.txt").write_text(text, encoding="utf-8")
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--responses", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = generate_round(args.out_dir, args.responses, args.seed)
    print(f"{args.responses} responses in {folder}")


if __name__ == "__main__":
    main()
