"""How fast the review app answers on a round of 15,000 comments, and how long «Lag dokumentene på nytt»
takes there (#12: pages ≤ 300 ms, documents ≤ 10 s).

The round is synthetic (:mod:`synthetic`) and analysed by the pipeline's own stages, except the two
that need the embedding model: measure mentions are the written codes only (no implicit mentions, no
drift), and themes are k-means on the comments' words (:func:`pipeline.themes.clustering.word_space`,
``THEMES`` themes, the comments farthest from their centre outside any theme) described as a run
describes them. It is built once into ``data/interim/bench-app/`` (``--rebuild`` builds it again).

Each run of the bench copies the built round, records a few hundred decisions of every kind in its
review store (through :mod:`webapp.actions`, as the app's forms do), and serves the app with uvicorn in
a thread, asked over HTTP with httpx. Per page: *cold* is the first request after a decision (a
comment's stance, posted through the app), when the reviewed view of the round is made again; *warm* is
p50/p95 over ``--repeat`` requests after it. Then :func:`pipeline.review.make_documents_again` is timed,
broken down by stage.

    python bench/app_pages.py [--comments 15000] [--rebuild] [--repeat 30]
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import re
import shutil
import socket
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from functools import wraps
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import uvicorn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from synthetic import generate_round  # noqa: E402

from flows import tasks  # noqa: E402
from flows.review import review_tables  # noqa: E402
from pipeline import config, measures, ocr, review, themes  # noqa: E402
from pipeline.measures.explicit import code_letters, find_explicit  # noqa: E402
from pipeline.measures.linking import comment_texts  # noqa: E402
from pipeline.nb.stances import LABELS as STANCES  # noqa: E402
from pipeline.tables import to_frame  # noqa: E402
from pipeline.themes.clustering import SEED, word_space  # noqa: E402
from pipeline.themes.description import check, describe  # noqa: E402
from pipeline.themes.ids import Review, new_state  # noqa: E402

BENCH_DIR = config.INTERIM_DATA_DIR / "bench-app"
NAME = "runde"
PAGE_MS, DOCUMENTS_S = 300, 10.0  # the targets
COMMENTS_PER_RESPONSE = 11  # a synthetic response has about 12 comments: a few more than needed
THEMES, OUTLIERS = 40, 0.04
USER, PASSWORD = "analytiker", "et langt passord for benken"


# --- the round --------------------------------------------------------------------------------
def built_round(n_comments: int, rebuild: bool) -> Path:
    """The analysed round of at least ``n_comments`` comments (built here unless already there)."""
    out_dir = BENCH_DIR / f"built-{n_comments}" / NAME
    if rebuild or not (out_dir / "hoeringsnotat.docx").is_file():
        shutil.rmtree(out_dir.parent, ignore_errors=True)
        started = time.perf_counter()
        raw = generate_round(BENCH_DIR / f"raw-{n_comments}", math.ceil(n_comments / COMMENTS_PER_RESPONSE), seed=1)
        build_round(raw, out_dir, n_comments)
        shutil.rmtree(raw)
        print(f"built the round in {time.perf_counter() - started:.0f} s: {out_dir}")
    return out_dir


def build_round(raw: Path, out_dir: Path, n_comments: int) -> None:
    """Analyse the synthetic round in ``raw`` into ``out_dir`` with the stages that need no embeddings."""
    config.CACHE_DIR = None  # read once: nothing to cache
    logging.getLogger("flows.tasks").setLevel(logging.ERROR)  # the campaign letters' duplicates, each a warning
    paths = config.round_paths(raw, out_dir)
    all_measures, primary = tasks.read_plans.fn(paths.plan_dir, None)
    catalogue = all_measures[all_measures["plan_version"] == primary].reset_index(drop=True)
    responses = tasks.read_responses.fn(paths.responses_dir)
    cleaned = _cleaned(responses)
    segmented = tasks.split_comments.fn(responses, cleaned)
    stances = tasks.find_stances.fn(segmented.comments, responses)
    failed = {**segmented.failed, **stances.failed}
    responses, cleaned, comments = tasks.set_aside_failures.fn(responses, cleaned, stances.comments, failed)
    if len(comments) < n_comments:
        raise SystemExit(f"only {len(comments)} comments: raise COMMENTS_PER_RESPONSE's margin")
    none = review.Decisions()
    comments = review.review_stances(review.review_senders(comments, none), none)
    files = tasks.account_for_files.fn(paths.responses_dir, responses, None)
    campaign_of = tasks.group_campaigns.fn(cleaned)
    linked = _written_codes(comments, catalogue)
    found = _word_themes(comments, linked.mentions, campaign_of)
    summary = tasks.summarise_measures.fn(catalogue, found.comments, linked.mentions, responses)
    tables = tasks.collect_tables.fn(responses, cleaned, segmented, found, linked, all_measures, summary, campaign_of)
    tables = review_tables.fn(tables, none)
    tasks.write_outputs.fn(out_dir, NAME, tables, responses, cleaned, found, files)


def _cleaned(responses: list) -> dict[str, ocr.Cleaned]:
    """OCR repair of every readable response, on every core."""
    ok = [r for r in responses if r.status == "ok"]
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        return dict(zip([r.response_id for r in ok], pool.map(ocr.clean_text, [r.text for r in ok], chunksize=8)))


def _written_codes(comments: pd.DataFrame, catalogue: pd.DataFrame) -> measures.Linked:
    """The measures each comment names by code (the implicit mentions need the embeddings: left out)."""
    codes = set(catalogue["code"])
    letters = code_letters(codes)
    rows = [
        {**m.__dict__, "likely": "", "drift_score": 0.0}
        for cid, text in zip(comments["comment_id"], comments["text"])
        for m in find_explicit(cid, text, codes, letters)
    ]
    return measures.Linked(to_frame(rows, "mentions"), to_frame([], "crosswalk"), np.zeros((0, len(catalogue))))


def _word_themes(comments: pd.DataFrame, mentions: pd.DataFrame, campaign_of: dict[str, str]) -> themes.Themes:
    """``THEMES`` themes by k-means on the comments' words, numbered by size, described as a run does."""
    texts = comment_texts(comments)
    space = word_space(texts)
    model = KMeans(THEMES, n_init=3, random_state=SEED).fit(space)
    by_size = np.argsort(np.argsort(-np.bincount(model.labels_, minlength=THEMES), kind="stable"))
    ids = by_size[model.labels_].astype("int64")
    distance = np.linalg.norm(space - model.cluster_centers_[model.labels_], axis=1)
    ids[distance > np.quantile(distance, 1 - OUTLIERS)] = themes.NO_THEME
    described = describe(ids, comments, space, texts, campaign_of, mentions)
    comment_ids = comments["comment_id"].tolist()
    labels = {t.theme_id: t.label for t in described}
    return themes.Themes(
        comments.assign(theme_id=ids, machine_theme_id=ids, theme_checked=False),
        to_frame(described, "themes"),
        check(ids, space, described),
        new_state(ids, space, comment_ids, labels, "bench: word space"),
        Review({}, {}, {}),
    )


# --- a copy of it with decisions ----------------------------------------------------------------
def working_copy(built: Path) -> Path:
    """A fresh copy of the built round, with an empty review store."""
    out_dir = BENCH_DIR / "work" / NAME
    shutil.rmtree(out_dir.parent, ignore_errors=True)
    shutil.copytree(built, out_dir)
    return out_dir


def record_decisions(out_dir: Path, seed: int = 7) -> int:
    """A few hundred decisions of every kind, made as the app's forms make them; returns how many."""
    from webapp import actions
    from webapp.data import load_round

    rng, who = random.Random(seed), USER
    view = load_round(NAME, out_dir)
    comments, ids = view.comments, list(view.themes.index)
    for cid in rng.sample(list(comments.index), 120):
        actions.stance(view, who, cid, rng.choice([s for s in STANCES if s != comments.at[cid, "stance"]]))
    for cid in rng.sample(list(comments.index), 80):
        actions.move(view, who, cid, rng.choice([*ids, themes.NO_THEME]))
    for t in rng.sample(ids, 30):
        actions.rename(view, who, t, f"Tema om {view.theme_label(t)} (navngitt)")
    for t in rng.sample(ids, 10):
        actions.note(view, who, t, "Sjekk dette temaet mot forrige runde.")
        actions.mark_reviewed(view, who, t, True)
    for t, into in zip(ids[-6::2], ids[-5::2]):  # three small themes merged into others
        actions.merge(view, who, t, into)
    links = view.mentions.sample(50, random_state=seed)
    for cid, code in zip(links["comment_id"], links["code"]):
        actions.link(view, who, cid, code, rng.random() < 0.5)
    for cid in rng.sample(list(comments.index), 10):
        actions.add_measure(view, who, cid, rng.choice(list(view.measures["code"])))
    for rid in rng.sample(list(view.responses.index), 15):
        actions.sender(view, who, rid, f"Avsender {rid}", "organisation")
    with review.open_store(review.store_path(out_dir)) as store:
        return store.last_id()


# --- the app over HTTP ----------------------------------------------------------------------------
@contextmanager
def served(out_dir: Path):
    """The app over ``out_dir``'s round, with uvicorn in a thread: an httpx client signed in as an analyst."""
    from webapp.auth import Users
    from webapp.main import Settings, create_app

    users = Users(out_dir.parent / "brukere.sqlite")
    users.add(USER, PASSWORD, "analyst")
    # a TCP socket as uvicorn.run makes it (proto IPPROTO_TCP: asyncio then sets TCP_NODELAY; without it
    # every small page waits ~40 ms for the client's delayed ACK)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config_ = uvicorn.Config(create_app(Settings({NAME: out_dir}, users.path)), log_level="warning", lifespan="off")
    server = uvicorn.Server(config_)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=120) as client:
            form = {"csrf": _csrf(client.get("/logg-inn")), "brukernavn": USER, "passord": PASSWORD, "neste": "/"}
            assert client.post("/logg-inn", data=form).status_code == 303, "could not sign in"
            yield client
    finally:
        server.should_exit = True
        thread.join()


def _csrf(page: httpx.Response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def pages_of(out_dir: Path) -> list[tuple[str, str]]:
    """(what, path) of each page to time: the largest theme, measure and response; filters; last pages."""
    from webapp.data import load_round

    view = load_round(NAME, out_dir)
    theme = max(view.by_theme, key=lambda t: (t != themes.NO_THEME, len(view.by_theme[t])))
    code = max(view.by_code, key=lambda c: len(view.by_code[c]))
    response = max(view.by_response, key=lambda r: len(view.by_response[r]))
    last = -(-len(view.by_theme[theme]) // 50)
    r = f"/r/{NAME}"
    return [
        ("round (front page)", r),
        ("themes", f"{r}/temaer"),
        ("themes, searched, by name", f"{r}/temaer?sorter=navn&sok=bolig"),
        (f"theme {theme} ({len(view.by_theme[theme])} comments)", f"{r}/tema/{theme}"),
        (f"theme {theme}, last page", f"{r}/tema/{theme}?side={last}"),
        (f"no theme ({len(view.by_theme.get(-1, []))} comments)", f"{r}/tema/-1"),
        ("measures", f"{r}/tiltak"),
        (f"measure {code} ({len(view.by_code[code])} comments)", f"{r}/tiltak/{code}"),
        (f"measure {code}, critique only", f"{r}/tiltak/{code}?holdning=critique"),
        (f"response ({len(view.by_response[response])} comments)", f"{r}/svar/{response}"),
        ("decision log", f"{r}/logg"),
    ]


def time_pages(client: httpx.Client, out_dir: Path, pages: list[tuple[str, str]], repeat: int) -> list[dict]:
    """Per page: the POST of a decision, the first request after it (cold) and ``repeat`` more (warm)."""
    csrf = _csrf(client.get(f"/r/{NAME}/temaer"))
    rows = []
    for n, (what, path) in enumerate(pages):
        post = _decide(client, csrf, out_dir, n)
        cold = _ms(client, path)
        warm = np.array([_ms(client, path) for _ in range(repeat)])
        rows.append({"page": what, "post": post, "cold": cold, "p50": np.median(warm), "p95": np.quantile(warm, 0.95)})
    return rows


def _decide(client: httpx.Client, csrf: str, out_dir: Path, n: int) -> float:
    """A comment's stance corrected, posted as a measure page's form does; the ms it took."""
    from webapp.data import load_round

    view = load_round(NAME, out_dir)
    mention = view.mentions.iloc[(997 * n) % len(view.mentions)]
    comment_id, code = str(mention["comment_id"]), str(mention["code"])
    stance = next(s for s in STANCES if s != view.comments.at[comment_id, "stance"])
    with review.open_store(review.store_path(out_dir)) as store:
        version = store.version(
            [("mention", f"{comment_id} {code}"), ("comment.stance", comment_id), ("drift", f"{comment_id} {code}")]
        )
    form = {"csrf": csrf, "versjon": str(version), "kommentar": comment_id, "kode": code, "holdning": stance}
    started = time.perf_counter()
    answer = client.post(f"/r/{NAME}/holdning", data=form)
    assert answer.status_code == 303, f"the stance was refused: {answer.status_code}"
    return 1000 * (time.perf_counter() - started)


def _ms(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    seconds = time.perf_counter() - started
    assert answer.status_code == 200, f"{path}: {answer.status_code}"
    return 1000 * seconds


# --- «Lag dokumentene på nytt» ------------------------------------------------------------------------

STAGES = {  # stage: (module, function) pairs timed while the documents are made again
    "read tables": [("pipeline.review.regenerate", "_read")],
    "texts (linked)": [("pipeline.review.regenerate", "_same_texts")],
    "read decisions": [("pipeline.review.regenerate", "read_decisions")],
    "apply decisions": [
        ("pipeline.review.regenerate", f)
        for f in ("review_stances", "review_senders", "theme_pins", "pin_themes", "review_mentions", "unapplied")
    ],
    "themes again": [("pipeline.themes", "describe_again"), ("pipeline.review.regenerate", "review_themes")],
    "summaries": [("pipeline.summaries", "summarise_measures"), ("pipeline.outputs", "campaigns_table")],
    "write: parquet": [("pipeline.outputs.write", "write_parquet")],
    "write: masking": [("pipeline.outputs.write", "mask_tables")],
    "write: workbook": [("pipeline.outputs.write", "write_workbook")],
    "write: report": [("pipeline.outputs.write", "write_report")],
    "write: notat": [("pipeline.outputs.write", "write_notat")],
    "write: all": [("pipeline.outputs", "write_outputs")],
}


def time_documents(out_dir: Path) -> tuple[float, dict[str, float]]:
    """Seconds :func:`pipeline.review.make_documents_again` takes, and per stage (``STAGES``)."""
    import importlib

    spent: dict[str, float] = defaultdict(float)

    def timed(stage: str, fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started

        return wrapper

    with ExitStack() as patches:
        for stage, targets in STAGES.items():
            for module, name in targets:
                owner = importlib.import_module(module)
                patches.enter_context(mock.patch.object(owner, name, timed(stage, getattr(owner, name))))
        started = time.perf_counter()
        review.make_documents_again(out_dir, NAME)
        total = time.perf_counter() - started
    written = sum(v for k, v in spent.items() if k.startswith("write: ") and k != "write: all")
    spent["write: manifest, rest"] = spent.pop("write: all") - written
    spent["other (copy, switch in)"] = total - sum(spent.values())
    return total, dict(spent)


# --- the figures ---------------------------------------------------------------------------------------
def sizes(out_dir: Path) -> str:
    n = {t: len(pd.read_parquet(out_dir / f"{t}.parquet", columns=[c])) for t, c in COUNTED.items()}
    return f"{n['comments']:,} comments, {n['responses']:,} responses, {n['themes']} themes, " + (
        f"{n['mentions']:,} mentions (written codes only)"
    )


COUNTED = {"comments": "comment_id", "responses": "response_id", "themes": "theme_id", "mentions": "code"}


def page_table(rows: list[dict], repeat: int) -> str:
    width = max(len(r["page"]) for r in rows)
    ok = lambda ms: "yes" if ms <= PAGE_MS else "NO"  # noqa: E731
    lines = [
        f"Pages (uvicorn in a thread, httpx; ms; warm over {repeat} requests; target ≤ {PAGE_MS} ms)",
        f"  {'page':<{width}}  {'POST':>6}  {'cold':>6}  {'p50':>6}  {'p95':>6}  cold ok  warm ok",
    ]
    for r in rows:
        lines.append(
            f"  {r['page']:<{width}}  {r['post']:6.0f}  {r['cold']:6.0f}  {r['p50']:6.0f}  {r['p95']:6.0f}  "
            f"{ok(r['cold']):>7}  {ok(r['p95']):>7}"
        )
    return "\n".join(lines)


def documents_table(total: float, spent: dict[str, float]) -> str:
    verdict = "yes" if total <= DOCUMENTS_S else "NO"
    lines = [f"make_documents_again: {total:.2f} s (target ≤ {DOCUMENTS_S:.0f} s: {verdict})"]
    lines += [f"  {stage:<26} {seconds:6.2f} s" for stage, seconds in spent.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=15_000, help="at least this many comments")
    parser.add_argument("--rebuild", action="store_true", help="build the round again")
    parser.add_argument("--repeat", type=int, default=30, help="warm requests per page (≥ 20)")
    args = parser.parse_args()
    out_dir = working_copy(built_round(args.comments, args.rebuild))
    started = time.perf_counter()
    n_decisions = record_decisions(out_dir)
    print(f"Round: {sizes(out_dir)}; {n_decisions} decisions ({time.perf_counter() - started:.1f} s to record)")
    pages = pages_of(out_dir)
    repeat = max(20, args.repeat)
    with served(out_dir) as client:
        rows = time_pages(client, out_dir, pages, repeat)
        total, spent = time_documents(out_dir)
        after = _ms(client, f"/r/{NAME}")  # the tables are read again, then the view made
    print(page_table(rows, repeat))
    print(f"  first request after the documents were made again (tables read again): {after:.0f} ms")
    print(documents_table(total, spent))


if __name__ == "__main__":
    main()
