"""Parse an action plan into its measure catalogue: code, text, result goal, responsible department.

Plans such as *Tryggere liv* set their measures in a three-column table (Resultatmål | Tiltak |
Ansvarlig byrådsavdeling). Extracted as text, the columns are interleaved: a goal paragraph, then
the measures it covers (``1F. KORUS Oslo …``, sub-bullets starting with ``-``), then a run of
department lines (``SET``, ``SET/HLS``) that belong, in order, to the measures before them. Page
breaks repeat the table header and may split a measure; its continuation starts in lower case.

Example:
    >>> [m.code for m in parse_catalogue("Resultatmål Tiltak Ansvarlig\\n\\nMål\\n\\n1F. Tiltak.\\n\\nSET")]
    ['1F']
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.folder import SUPPORTED_FORMATS, IngestError, extract_text, is_regular_file
from pipeline.ocr.layout import join_wrapped
from pipeline.ocr.repair import repair_text

log = logging.getLogger(__name__)

CODE_LETTERS_RE = re.compile(r"\(([A-ZÆØÅ])\)")  # "… tiltak forebygging (F)"
SECTION_RE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s+[A-ZÆØÅ]")
TABLE_HEADER_RE = re.compile(r"^\s*resultatmål\b.*\btiltak\b", re.IGNORECASE)
DEPARTMENT_RE = re.compile(r"^\s*([A-ZÆØÅ]{2,6}(?:\s*/\s*[A-ZÆØÅ]{2,6})*)\s*$")
SUB_BULLET_RE = re.compile(r"^\s*[-–•]\s*(?=\S)")
DEFAULT_LETTERS = "FS"


@dataclass(frozen=True)
class Measure:
    """One measure (tiltak) of the plan."""

    code: str
    area: str
    number: int
    text: str
    goal: str
    responsible: str
    plan_file: str = ""
    innsatsomrade: str = ""  # the area of effort (innsatsområde) the measure serves, inferred
    plan_version: str = ""


@dataclass
class _Draft:
    code: str
    goal: str
    lines: list[str] = field(default_factory=list)
    subs: list[list[str]] = field(default_factory=list)
    responsible: str = ""

    def add(self, line: str) -> None:
        (self.subs[-1] if self.subs else self.lines).append(line)

    def finish(self, plan_file: str, plan_version: str, innsatsomrade: str) -> Measure:
        text = _join(self.lines)
        for sub in self.subs:
            text += "\n- " + _join(sub)
        number, area = int(self.code[:-1]), self.code[-1]
        return Measure(
            self.code, area, number, text.strip(), self.goal, self.responsible, plan_file, innsatsomrade, plan_version
        )


def parse_catalogue(text: str, *, plan_file: str = "", plan_version: str = "") -> list[Measure]:
    """All measures of a plan, in the order the plan lists them.

    Args:
        text: the plan's text, line breaks as extracted (not reflowed: the table layout matters).
        plan_file: recorded on each measure.
        plan_version: recorded on each measure; default: the plan file's name without extension.
    """
    letters = "".join(sorted(set(CODE_LETTERS_RE.findall(text)))) or DEFAULT_LETTERS
    lines = text.replace("\r\n", "\n").split("\n")
    reader = _TableReader(letters, in_table=not any(TABLE_HEADER_RE.match(line) for line in lines))
    for raw in lines:
        reader.read(raw.strip())
    version = plan_version or Path(plan_file).stem
    assigned = _assign_areas(reader.drafts, reader.areas)
    return [d.finish(plan_file, version, assigned.get(d.code, "")) for d in reader.drafts]


class _TableReader:
    """Reads a plan line by line into measure drafts, keeping track of where in the table it is."""

    def __init__(self, letters: str, in_table: bool) -> None:
        self.start_re = re.compile(rf"^\s*(\d{{1,2}})\s?([{letters}])\.\s*(.*)$")
        self.inline_re = re.compile(rf"^(.*?\S)\s+(\d{{1,2}})\s?([{letters}])\.\s+(\S.*)$")
        self.in_table = in_table
        self.drafts: list[_Draft] = []
        self.intro_bullets: list[str] = []  # a section's bulleted areas of effort (innsatsområder), before its table
        self.areas: dict[str, list[str]] = {}  # code letter → its section's innsatsområder
        self.goal_lines: list[str] = []
        self.goal_open = self.measure_open = self.after_header = False
        self.current: _Draft | None = None

    def read(self, line: str) -> None:
        """Take in one line of the plan, stripped."""
        if not line:
            self.goal_open = self.measure_open = False
        elif not self._layout(line):
            self._table_line(line)

    def _layout(self, line: str) -> bool:
        """Take in a line of the layout around the measures (table header, section heading, department,
        a section's introduction); whether the line was one."""
        if TABLE_HEADER_RE.match(line):
            self.in_table, self.after_header, self.goal_open, self.measure_open = True, True, False, False
            return True
        if self.after_header:
            self.after_header = False
            if re.fullmatch(r"[a-zæøå]+", line):  # "byrådsavdeling", the header's second line
                return True
        if SECTION_RE.match(line) and not self.start_re.match(line):
            self.in_table, self.current, self.goal_open, self.measure_open = False, None, False, False
            self.intro_bullets = []
            return True
        department = DEPARTMENT_RE.match(line)
        if department and self.in_table:
            waiting = next((d for d in self.drafts if not d.responsible), None)
            if waiting:
                waiting.responsible = re.sub(r"\s+", "", department.group(1))
            return True
        if not self.in_table:
            if SUB_BULLET_RE.match(line):
                self.intro_bullets.append(SUB_BULLET_RE.sub("", line).rstrip(" ."))
            return True
        return False

    def _table_line(self, line: str) -> None:
        """Take in a line of the table: a measure's start, a sub-bullet, a continuation or a goal."""
        start = self.start_re.match(line)
        inline = None if start or self.measure_open else self.inline_re.match(line)
        if inline and not _is_next(self.drafts, inline.group(2), inline.group(3)):
            inline = None  # a code mid-line only starts a measure where the numbering goes on
        if start:
            self.current, self.measure_open, self.goal_open = self._new_measure(*start.groups()), True, False
        elif inline:
            head, number, letter, rest = inline.groups()
            if not self.goal_open:
                self.goal_lines = []
            self.goal_lines.append(head)
            self.current, self.measure_open, self.goal_open = self._new_measure(number, letter, rest), True, False
        elif SUB_BULLET_RE.match(line) and self.current is not None:
            self.current.subs.append([SUB_BULLET_RE.sub("", line)])
            self.measure_open = True
        elif self.measure_open and self.current is not None:
            self.current.add(line)
        elif self.goal_open:
            self.goal_lines.append(line)
        elif self.current is not None and (line[0].islower() or line[0] in "(,"):
            self.current.add(line)  # a measure continued after a page break
            self.measure_open = True
        else:
            self.goal_lines, self.goal_open = [line], True

    def _new_measure(self, number: str, letter: str, rest: str) -> _Draft:
        if letter not in self.areas and self.intro_bullets:
            self.areas[letter] = list(self.intro_bullets)
        draft = _Draft(f"{int(number)}{letter}", _join(self.goal_lines))
        if rest.strip():
            draft.lines.append(rest)
        self.drafts.append(draft)
        return draft


def _assign_areas(drafts: list[_Draft], areas: dict[str, list[str]]) -> dict[str, str]:
    """Each measure's innsatsområde: the area of its section whose words its goal and text share most.

    The plan lists a section's areas apart from its table, so the link is inferred: lemma overlap
    (:func:`pipeline.text.keywords.terms`) between the area's name and the result goal, the measures'
    texts breaking ties. A goal that shares no word with any area keeps the previous goal's area.
    """
    from pipeline.text.keywords import terms

    assigned: dict[str, str] = {}
    by_goal: dict[tuple[str, str], str] = {}
    previous = ""
    for draft in drafts:
        options = areas.get(draft.code[-1], [])
        key = (draft.code[-1], draft.goal)
        if not options:
            continue
        if key not in by_goal:
            goal_terms = set(terms(draft.goal))
            measure_terms = set(
                terms(" ".join(d_line for d in drafts if (d.code[-1], d.goal) == key for d_line in d.lines))
            )
            scores = []
            for area in options:
                words = set(terms(area))
                scores.append(len(words & goal_terms) + 0.1 * len(words & measure_terms))
            best = max(range(len(options)), key=lambda k: (scores[k], -k))
            by_goal[key] = options[best] if scores[best] > 0 else previous or options[0]
        assigned[draft.code] = previous = by_goal[key]
    return assigned


def _is_next(drafts: list[_Draft], number: str, letter: str) -> bool:
    numbers = [int(d.code[:-1]) for d in drafts if d.code.endswith(letter)]
    return int(number) == (max(numbers) + 1 if numbers else 1)


def _join(lines: list[str]) -> str:
    return join_wrapped(lines)[0] if lines else ""


class PlanError(RuntimeError):
    """The round's plan document is missing, ambiguous or has no measures."""


FINAL_WORDS = ("endelig", "vedtatt", "final")


def find_plan_files(plan_dir: Path) -> list[Path]:
    """Every plan document in a round's ``plan/`` folder, one per plan version, sorted by name.

    Raises:
        PlanError: there is none.
    """
    candidates = sorted(
        p
        for p in Path(plan_dir).glob("*")
        if not p.name.startswith((".", "~$")) and p.suffix.lower().lstrip(".") in SUPPORTED_FORMATS
    )
    files = [p for p in candidates if is_regular_file(p)]
    for p in candidates:
        if not is_regular_file(p):  # the round folder is the boundary: a link is never followed
            log.warning("%s er en lenke eller ikke en vanlig fil og leses ikke; legg selve plandokumentet i plan/", p)
    if not files:
        linked = f" ({', '.join(p.name for p in candidates)} er lenker, som ikke følges)" if candidates else ""
        raise PlanError(f"Fant ikke noe plandokument ({_formats()}) i {plan_dir}{linked}")
    return files


def primary_version(files: list[Path], wanted: str | None = None) -> str:
    """The plan version a round is analysed against: ``wanted`` if given, else the one whose name says
    it is final (``endelig``, ``vedtatt``, ``final``), else the last by name (``1-utkast``, ``2-endelig``).

    Raises:
        PlanError: ``wanted`` names no plan file.
    """
    versions = [p.stem for p in files]
    if wanted:
        if wanted not in versions:
            raise PlanError(f"Fant ingen planversjon {wanted!r} i plan/ (har: {', '.join(versions)})")
        return wanted
    final = [v for v in versions if any(w in v.lower() for w in FINAL_WORDS)]
    return final[-1] if final else versions[-1]


def _formats() -> str:
    return ", ".join(f".{f}" for f in SUPPORTED_FORMATS)


def read_plan(plan_file: Path) -> list[Measure]:
    """The measure catalogue of a plan file (txt, pdf or docx), OCR damage repaired first.

    Raises:
        PlanError: the file can't be read or lists no measures.
    """
    try:
        text = extract_text(plan_file)
    except IngestError as exc:
        raise PlanError(f"Kunne ikke lese planen {plan_file.name}: {exc}") from exc
    measures = parse_catalogue(repair_text(text).text, plan_file=plan_file.name, plan_version=plan_file.stem)
    if not measures:
        raise PlanError(f"Fant ingen tiltak (nummererte som «1F.») i planen {plan_file.name}")
    return measures
