"""The shape of the code (#11): small modules and functions, one package per stage, no import-time
side effects in the library."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline import config

ROOT = config.PROJ_ROOT
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60
SOURCES = sorted(p for folder in ("pipeline", "flows", "eval", "bench") for p in (ROOT / folder).rglob("*.py"))
STAGES = ("ingest", "ocr", "comments", "embed", "measures", "themes", "summaries", "outputs")


def _functions(tree: ast.AST):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_are_small(path: Path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{path.name}: {source.count(chr(10))} lines"
    long = [
        f"{f.name} ({f.end_lineno - f.lineno + 1} lines)"
        for f in _functions(ast.parse(source))
        if f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.name}: {', '.join(long)}"


def test_the_library_never_writes_the_environment():
    writes = re.compile(r"os\.environ\s*\[[^]]+\]\s*=|os\.environ\.(setdefault|update|pop)\(|os\.putenv\(")
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (ROOT / "pipeline").rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if writes.search(line)
    ]
    assert not found, found


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_a_package_with_a_public_surface_named_in_the_readme(stage: str):
    package = ROOT / "pipeline" / stage
    init = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    exported = next(
        (n.value for n in init.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "__all__"), None
    )
    assert exported is not None and ast.literal_eval(exported), f"pipeline/{stage}/__init__.py has no __all__"
    assert ast.get_docstring(init), f"pipeline/{stage}/__init__.py has no docstring"
    assert f"pipeline/{stage}/" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_flow_diagram_names_every_stage():
    from flows import hearing_round

    for stage in STAGES:
        assert stage in hearing_round.__doc__.split("Each stage")[0], stage
