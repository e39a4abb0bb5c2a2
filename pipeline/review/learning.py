"""The models learn from review: people's decisions about a round become labelled examples, and the
implicit-mention and stance models are refitted on them for the next run.

A ``mention`` decision (a link confirmed, added or rejected) is a labelled comment × measure pair; a
``comment.stance`` decision is a labelled comment. Only decisions about comments that are still there,
with the text they had when the decision was made, count (:func:`examples`).

The base models were fitted (``eval/mentions.py --fit``, ``eval/stance.py --fit``) on labelled corpora
under ``eval/`` and ``../shared/real``, which a round's run does not have. So a refit does not fit
anew on base data + reviews: it is a *warm-started update*, the maximum a posteriori fit of the same
logistic model under a Gaussian prior centred on the base model's weights, as strong as the base fit's
own L2 penalty (``1 / C``: :data:`PRIOR` for the implicit model, fitted with C = 1; 10 for stance), on

* the reviewed examples, with the label a person gave (weight 1 each), and
* *anchors*, with the base model's own probability as a soft target (weight :data:`ANCHOR` each): the
  round's comment × measure pairs nobody decided (and no comment writes), and its comments nobody set
  a stance for.

Why anchors: reviewed pairs are no random sample. Most are the model's own proposals, and most of those
a person confirms; fitted on them alone (or with only the reviewed comments' other pairs as anchors),
the model learns to propose more links everywhere, and its precision on held-out text falls
(``eval/learning.py``). The anchors hold the model where nobody decided, so it moves only where people
did. The implicit model's thresholds are kept; the stance model's class weighting (``balanced``) is kept.

A refit from a store replaces an earlier refit from the same store (the store holds all its decisions:
refitting twice gives the same model) and builds on refits from other stores; the provenance lists every
refit (``refits``: date, store, who, counts) and keeps the weights it started from (``refit_base``).

Example:
    >>> result = refit_round(Path("data/processed/tryggere-liv-2026"))  # doctest: +SKIP
    >>> print("\\n".join(result.notes))  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit, logsumexp

from pipeline import config
from pipeline.comments import stance
from pipeline.measures import implicit
from pipeline.review.store import Decision, fingerprint, open_store, store_path

MIN_EXAMPLES = 5  # fewer reviewed examples of a kind leave its model unchanged
PRIOR = 1.0  # strength of the Gaussian prior per weight, in units of one example's log-loss: 1 / C of the base fit
ANCHOR = 1.0  # weight of each anchor (a pair or comment nobody decided, with the base model's probability)
IMPLICIT_FILE, STANCE_FILE = implicit.MODEL_FILE.name, stance.MODEL_FILE.name


class MentionExample(NamedTuple):
    """A reviewed comment × measure pair: ``label`` True where the comment is about the measure."""

    comment_id: str
    text: str
    code: str
    label: bool
    context: str  # section, lead-in and text: what the lexical evidence reads (linking.comment_texts)
    who: str


class StanceExample(NamedTuple):
    """A comment with the stance a person set."""

    comment_id: str
    text: str
    lead_in: str
    sender: str
    label: str
    who: str


@dataclass(frozen=True)
class Examples:
    """The labelled examples of a round's review; ``left_out``: decisions whose comment is gone or changed."""

    mentions: tuple[MentionExample, ...] = ()
    stances: tuple[StanceExample, ...] = ()
    left_out: int = 0
    written: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # codes the comments write


class PairRows(NamedTuple):
    """Features of the reviewed pairs (one row per mention example) and of the anchors (:func:`mention_rows`)."""

    reviewed: np.ndarray
    anchors: np.ndarray


@dataclass(frozen=True)
class RefitResult:
    """What :func:`refit_round` did: examples used, model files written, and a line per model (Norwegian)."""

    store: Path
    n_mentions: int
    n_stances: int
    written: tuple[Path, ...]
    notes: tuple[str, ...]


def examples(
    decisions: Any,
    comments: pd.DataFrame,
    *,
    codes: Collection[str] | None = None,
    written: Mapping[str, Collection[str]] | None = None,
) -> Examples:
    """The labelled examples in ``decisions`` (a :class:`~pipeline.review.store.ReviewStore`, or a mapping
    kind → :meth:`~pipeline.review.store.ReviewStore.latest`) about the comments of ``comments``.

    A decision counts where its comment is present and, if the decision has ``about``, the comment's
    :func:`~pipeline.review.store.fingerprint` equals it. Mention pairs need ``after`` True or False and
    (if ``codes`` is given) a code of the plan; pairs whose code the comment writes (``written``: comment
    id → codes) are left out: they teach the implicit model nothing. Stances need a known label.
    """
    latest = decisions
    if hasattr(decisions, "latest"):
        latest = {kind: decisions.latest(kind) for kind in ("mention", "comment.stance")}
    rows = {r["comment_id"]: r for r in comments.to_dict("records")}
    written = written or {}
    left_out, mentions, stances = 0, [], []

    def holds(comment_id: str, d: Decision) -> bool:
        nonlocal left_out
        ok = comment_id in rows and (not d.about or d.about == fingerprint(rows[comment_id]["text"]))
        left_out += not ok
        return ok

    for target, d in sorted(latest.get("mention", {}).items()):
        comment_id, _, code = target.partition(" ")
        if not isinstance(d.after, bool) or not holds(comment_id, d):
            continue
        if (codes is None or code in codes) and code not in written.get(comment_id, ()):
            row = rows[comment_id]
            mentions.append(MentionExample(comment_id, row["text"], code, d.after, _context(row), d.who))
    for comment_id, d in sorted(latest.get("comment.stance", {}).items()):
        if d.after in stance.STANCES and holds(comment_id, d):
            row = rows[comment_id]
            lead, sender = str(row.get("lead_in") or ""), str(row.get("sender") or "")
            stances.append(StanceExample(comment_id, row["text"], lead, sender, d.after, d.who))
    return Examples(tuple(mentions), tuple(stances), left_out, {c: frozenset(v) for c, v in written.items()})


def _context(row: Mapping) -> str:
    """What the lexical evidence reads of a comment (:func:`pipeline.measures.linking.comment_texts`)."""
    return " ".join(str(row[k]) for k in ("section", "lead_in", "text") if row.get(k))


def mention_rows(
    found: Examples,
    measures: pd.DataFrame,
    comments: pd.DataFrame | None = None,
    *,
    role: str = "passage",
    embedding_model: str | None = None,
) -> PairRows:
    """The :data:`~pipeline.measures.implicit_model.FEATURES` of each mention example's pair, and of the
    anchors: the undecided pairs of ``comments`` (the round; default: the reviewed comments) whose code the
    comment does not write. Computed as linking computes them (comments embedded in ``role``, through the
    embedding cache); every example's code must be one of ``measures``."""
    from pipeline.embed.embedder import embed_texts, load_embedder
    from pipeline.measures.linking import measure_part_texts, measure_texts

    width = len(implicit.FEATURES)
    if not found.mentions:
        return PairRows(np.zeros((0, width)), np.zeros((0, width)))
    name = embedding_model or config.EMBEDDING_MODEL
    texts, (parts, owner) = measure_texts(measures), measure_part_texts(measures)
    vectors = embed_texts(texts + parts, load_embedder(name))[0]
    by_code = implicit.measure_profiles(list(zip(measures["code"], measures["text"], measures["goal"])))
    profiles = [by_code[c] for c in measures["code"]]
    space = implicit.measure_space(profiles, texts, parts, owner, vectors[: len(texts)], vectors[len(texts) :])
    others = (
        [] if comments is None else [(r["comment_id"], r["text"], _context(r)) for r in comments.to_dict("records")]
    )
    comments = list(dict.fromkeys([(e.comment_id, e.text, e.context) for e in found.mentions] + others))
    queries = embed_texts([text for _, text, _ in comments], load_embedder(name, role=role))[0]
    whole, by_part = implicit.character_similarity([context for *_, context in comments], space)
    pairs = {
        cid: implicit.pair_features(context, queries[k], space, (whole[k], by_part[k]))[0]
        for k, (cid, _, context) in enumerate(comments)
    }
    column = {code: k for k, code in enumerate(space.codes)}
    decided = {(e.comment_id, e.code) for e in found.mentions}
    anchors = [
        pairs[cid][k]
        for cid, _, _ in comments
        for code, k in column.items()
        if (cid, code) not in decided and code not in found.written.get(cid, ())
    ]
    reviewed = np.array([pairs[e.comment_id][column[e.code]] for e in found.mentions])
    return PairRows(reviewed, np.array(anchors).reshape(len(anchors), width))


def stance_rows(comments: Sequence[tuple[str, str, str]]) -> np.ndarray:
    """The stance :data:`~pipeline.comments.stance.FEATURES` of each (text, lead-in, sender)."""
    rows = [stance.features(text, lead_in, sender=sender) for text, lead_in, sender in comments]
    return np.array([[f[name] for name in stance.FEATURES] for f in rows]).reshape(len(rows), len(stance.FEATURES))


def refit_implicit(
    base_model: implicit.ImplicitModel,
    found: Examples,
    *,
    rows: PairRows | None = None,
    measures: pd.DataFrame | None = None,
    comments: pd.DataFrame | None = None,
    store: Path | str = "",
    prior: float = PRIOR,
    anchor: float = ANCHOR,
) -> implicit.ImplicitModel:
    """The implicit-mention model updated with the reviewed pairs (warm-started, with anchors: see the
    module docs). ``rows``: from :func:`mention_rows`, else computed from ``measures`` and the round's
    ``comments``. Thresholds, embedding model and comment role stay the base model's; the provenance
    gets this refit."""
    if rows is None:
        rows = mention_rows(found, measures, comments, role=base_model.comment_role)
    start, earlier = _start(base_model.provenance, store)
    if start is None:
        start = {"coefficients": base_model.coefficients.tolist(), "intercept": float(base_model.intercept)}
    theta0 = np.array([[*start["coefficients"], start["intercept"]]], dtype=float)
    labels = np.array([[float(e.label)] for e in found.mentions]).reshape(-1, 1)
    anchors = np.asarray(rows.anchors, dtype=float)
    soft = expit(anchors @ theta0[0, :-1] + theta0[0, -1])[:, None]
    weights = _weights(np.ones(len(labels)), soft, anchor)
    theta = _map_fit(np.vstack([rows.reviewed, anchors]), np.vstack([labels, soft]), theta0, prior, weights)[0]
    positive = sum(e.label for e in found.mentions)
    counts = {"confirmed": positive, "rejected": len(labels) - positive, "anchors": len(anchors)}
    entry = _entry(store, [e.who for e in found.mentions], prior, anchor, counts)
    provenance = base_model.provenance | {"refits": [*earlier, entry], "refit_base": start}
    return dataclasses.replace(base_model, coefficients=theta[:-1], intercept=float(theta[-1]), provenance=provenance)


def refit_stance(
    base_model: dict,
    found: Examples,
    *,
    rows: np.ndarray | None = None,
    anchors: np.ndarray | None = None,
    store: Path | str = "",
    prior: float | None = None,
    anchor: float = ANCHOR,
) -> dict:
    """The stance model (the dict of :func:`pipeline.comments.stance.load_model`) updated with the reviewed
    stances (warm-started, with anchors: see the module docs). ``rows``: the examples' features (default:
    :func:`stance_rows`); ``anchors``: the features of the round's comments nobody set a stance for;
    ``prior``: default 1 / C of the base fit."""
    classes = list(base_model["classes"])
    kept = [k for k, e in enumerate(found.stances) if e.label in classes]
    if rows is None:
        rows = stance_rows([(e.text, e.lead_in, e.sender) for e in found.stances])
    anchors = np.zeros((0, len(base_model["features"]))) if anchors is None else np.asarray(anchors, dtype=float)
    provenance = dict(base_model.get("provenance", {}))
    prior = prior if prior is not None else 1.0 / float(provenance.get("C", 1.0 / PRIOR))
    start, earlier = _start(provenance, store)
    if start is None:
        start = {"coefficients": base_model["coefficients"], "intercept": base_model["intercept"]}
    intercept = np.array(start["intercept"], dtype=float)[:, None]
    theta0 = np.hstack([np.array(start["coefficients"], dtype=float), intercept])
    labels = np.zeros((len(kept), len(classes)))
    labels[np.arange(len(kept)), [classes.index(found.stances[k].label) for k in kept]] = 1.0
    scores = anchors @ theta0[:, :-1].T + theta0[:, -1]
    soft = np.exp(scores - logsumexp(scores, axis=1, keepdims=True))
    design = np.vstack([np.asarray(rows, dtype=float)[kept], anchors])
    weight = np.ones(len(kept))
    if provenance.get("class_weight") == "balanced" and kept:  # as the base was fitted: each class weighs alike
        n_class = labels.sum(axis=0)
        weight = labels @ np.where(n_class > 0, len(kept) / (np.count_nonzero(n_class) * np.maximum(n_class, 1)), 0.0)
    theta = _map_fit(design, np.vstack([labels, soft]), theta0, prior, _weights(weight, soft, anchor))
    counts = {c: int(labels[:, j].sum()) for j, c in enumerate(classes)} | {"anchors": len(anchors)}
    entry = _entry(store, [found.stances[k].who for k in kept], prior, anchor, counts)
    return base_model | {
        "coefficients": [[round(float(v), 5) for v in row[:-1]] for row in theta],
        "intercept": [round(float(v), 5) for v in theta[:, -1]],
        "provenance": provenance | {"refits": [*earlier, entry], "refit_base": start},
    }


def refit_round(out_dir: Path, models_dir: Path | None = None) -> RefitResult:
    """Refit both models on the review of the round whose output folder is ``out_dir`` and write them to
    ``models_dir`` (where the next run reads them); a model with fewer than :data:`MIN_EXAMPLES` reviewed
    examples is left as it is. The base models are ``models_dir``'s, else the shipped ones."""
    out_dir, models_dir = Path(out_dir), Path(models_dir or config.LEARNED_MODELS_DIR)
    path = store_path(out_dir)
    if not path.exists():
        return RefitResult(path, 0, 0, (), ("Ingen gjennomgang å lære av ennå: modellene er uendret.",))
    comments = pd.read_parquet(out_dir / "comments.parquet")
    measures = pd.read_parquet(out_dir / "measures.parquet")
    with open_store(path) as store:
        found = examples(store, comments, codes=set(measures["code"]), written=_written(out_dir))
    written, notes = [], []
    if len(found.mentions) < MIN_EXAMPLES:
        notes.append(_too_few("tiltakskoblinger", len(found.mentions), "implisitte tiltak"))
    else:
        base = implicit.load_model(_base_file(models_dir, IMPLICIT_FILE, implicit.MODEL_FILE), config.EMBEDDING_MODEL)
        model = refit_implicit(base, found, measures=measures, comments=comments, store=path)
        written.append(implicit.save_model(model, models_dir / IMPLICIT_FILE))
        notes.append(f"Modellen for implisitte tiltak er tilpasset {len(found.mentions)} gjennomgåtte koblinger.")
    if len(found.stances) < MIN_EXAMPLES:
        notes.append(_too_few("holdninger", len(found.stances), "holdning"))
    else:
        base_stance = json.loads(_base_file(models_dir, STANCE_FILE, stance.MODEL_FILE).read_text(encoding="utf-8"))
        others = comments[~comments["comment_id"].isin({e.comment_id for e in found.stances})].fillna("")
        anchors = stance_rows(list(zip(others["text"], others["lead_in"], others["sender"])))
        model = refit_stance(base_stance, found, anchors=anchors, store=path)
        written.append(_save_stance(model, models_dir / STANCE_FILE))
        notes.append(f"Modellen for holdning er tilpasset {len(found.stances)} gjennomgåtte holdninger.")
    if found.left_out:
        notes.append(f"{found.left_out} beslutninger gjelder kommentarer som er borte eller endret, og er ikke brukt.")
    return RefitResult(path, len(found.mentions), len(found.stances), tuple(written), tuple(notes))


def _written(out_dir: Path) -> dict[str, set[str]]:
    """The codes each comment of the round writes (a drifted one also as the code it likely means)."""
    mentions = pd.read_parquet(out_dir / "mentions.parquet")
    written: dict[str, set[str]] = {}
    for m in mentions[mentions["kind"] == "explicit"].to_dict("records"):
        written.setdefault(m["comment_id"], set()).update({m["code"], m.get("likely") or m["code"]})
    return written


def _too_few(what: str, n: int, model: str) -> str:
    return f"For få gjennomgåtte {what} ({n}, minst {MIN_EXAMPLES}): modellen for {model} er uendret."


def _base_file(models_dir: Path, name: str, shipped: Path) -> Path:
    return models_dir / name if (models_dir / name).is_file() else shipped


def _save_stance(model: dict, path: Path) -> Path:
    """Write the stance model as ``eval/stance.py --fit`` does, and let the next load read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _start(provenance: Mapping, store: Path | str) -> tuple[dict | None, list]:
    """Where a refit from ``store`` starts: the weights before an earlier refit from the same store (which
    it replaces), else None (the model's own weights); and the earlier refits it keeps."""
    refits = list(provenance.get("refits", []))
    if refits and refits[-1].get("store") == str(store) and "refit_base" in provenance:
        return dict(provenance["refit_base"]), refits[:-1]
    return None, refits


def _entry(store: Path | str, who: list[str], prior: float, anchor: float, counts: dict) -> dict:
    return {
        "refitted": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "store": str(store),
        "who": sorted(set(who)),
        "n_reviewed": len(who),
        "labels": counts,
        "method": f"warm-started MAP logistic update: Gaussian prior at the base weights (strength {prior}), "
        f"anchors at the base model's probabilities (weight {anchor})",
    }


def _weights(labelled: np.ndarray, soft: np.ndarray, anchor: float) -> np.ndarray:
    return np.concatenate([labelled, np.full(len(soft), anchor)])


def _map_fit(
    X: np.ndarray, targets: np.ndarray, theta0: np.ndarray, prior: float, weights: np.ndarray | None = None
) -> np.ndarray:
    """Weights (classes × features + intercept) minimising the weighted log-loss on ``X`` against
    ``targets`` (probabilities: hard or soft) plus ``prior / 2 · ‖θ − θ0‖²``: binary (sigmoid) for one
    row of ``theta0``, else multinomial (softmax)."""
    design = np.hstack([X, np.ones((len(X), 1))])
    w = np.ones(len(X)) if weights is None else weights

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        theta = flat.reshape(theta0.shape)
        z = design @ theta.T
        if theta0.shape[0] == 1:
            loss, residual = np.logaddexp(0.0, z) - targets * z, expit(z) - targets
        else:
            log_p = z - logsumexp(z, axis=1, keepdims=True)
            loss, residual = -targets * log_p, np.exp(log_p) - targets
        diff = theta - theta0
        value = float(np.sum(w[:, None] * loss) + prior / 2 * np.sum(diff**2))
        return value, ((w[:, None] * residual).T @ design + prior * diff).ravel()

    result = minimize(objective, theta0.ravel(), jac=True, method="L-BFGS-B")
    return result.x.reshape(theta0.shape)
