"""The README documents the output contract exactly as pipeline/tables.py defines it."""

from __future__ import annotations

import re

from pipeline import config
from pipeline.tables import SCHEMAS

README = (config.PROJ_ROOT / "README.md").read_text(encoding="utf-8")


def _documented(table: str) -> list[tuple[str, str]]:
    section = README.split(f"### `{table}.parquet`", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\| `(\w+)` \| (\w+) \|", section, flags=re.MULTILINE)


def test_every_table_and_column_is_documented_with_its_type():
    for table, cols in SCHEMAS.items():
        assert _documented(table) == [(c.name, c.dtype) for c in cols], table


def test_readme_gives_the_two_commands_ci_runs():
    assert "make run" in README and "make test" in README
    assert "make test" in (config.PROJ_ROOT / ".ci" / "run").read_text()
