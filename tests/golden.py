"""The bundled round's results as canonical JSON: what a change of code shape (#11) must not change.

``snapshot`` reads a round's output folder into plain rows (floats rounded, so that the last bits of a
matrix product don't count); ``test_same_outputs`` compares the bundled round's with the committed
``data/golden/tryggere-liv-2026.json``. Only the columns the golden file holds are compared: tables may
gain columns, none may change. ``python tests/golden.py`` writes the file anew (after a deliberate
change of results, never to make the test pass).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

GOLDEN = Path(__file__).parent / "data" / "golden" / "tryggere-liv-2026.json"
DIGITS = 4


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, DIGITS)
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is pd.NA or value is None:
        return None
    return value


def snapshot(out_dir: Path) -> dict[str, Any]:
    """Every table of the output folder as a list of rows, the documents' fingerprints and the manifest's entries."""
    result: dict[str, Any] = {}
    for path in sorted(Path(out_dir).glob("*.parquet")):
        frame = pd.read_parquet(path)
        result[path.stem] = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    manifest = json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
    result["documents"] = documents(Path(out_dir))
    result["manifest"] = {
        "counts": manifest["counts"],
        "total": manifest["total"],
        "files": [
            {k: f.get(k) for k in ("file", "status", "reason", "response_id", "sha256")} for f in manifest["files"]
        ],
    }
    return result


def documents(out_dir: Path) -> dict[str, str]:
    """A fingerprint (SHA-256) of what a reader sees in each document: the report's HTML, the notat's
    text (not its creation time) and the workbook's cell values."""
    with zipfile.ZipFile(out_dir / "hoeringsnotat.docx") as docx:
        notat = re.sub(r"<[^>]+>", " ", docx.read("word/document.xml").decode("utf-8"))
    book = load_workbook(out_dir / "oppsummering.xlsx")
    cells = "\n".join(f"{ws.title}!{c.coordinate}={c.value!r}" for ws in book for row in ws.iter_rows() for c in row)
    seen = {
        "rapport.html": (out_dir / "rapport.html").read_text(encoding="utf-8"),
        "hoeringsnotat.docx": notat,
        "oppsummering.xlsx": cells,
    }
    return {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in seen.items()}


def differences(golden: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What ``now`` changed of ``golden``: a table or row gone or added, a value changed (new columns are fine)."""
    found = []
    for table, rows in golden.items():
        if table not in now:
            found.append(f"{table}: missing")
            continue
        if isinstance(rows, dict):
            found += [f"{table}: {k} changed" for k in rows if now[table].get(k) != rows[k]]
            continue
        if len(rows) != len(now[table]):
            found.append(f"{table}: {len(rows)} rows before, {len(now[table])} now")
            continue
        for i, (before, after) in enumerate(zip(rows, now[table])):
            for column, value in before.items():
                if after.get(column, "<no column>") != value:
                    found.append(f"{table} row {i} {column}: {value!r} → {after.get(column, '<no column>')!r}")
    return found


def _write() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import run_round
    from prefect.testing.utilities import prefect_test_harness

    from pipeline import config

    with tempfile.TemporaryDirectory() as tmp, prefect_test_harness():
        config.CACHE_DIR = Path(tmp) / "cache"
        out = run_round(config.DEFAULT_ROUND_DIR, Path(tmp) / "out", Path(tmp) / "emb")
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(snapshot(out), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(GOLDEN)


if __name__ == "__main__":
    _write()
