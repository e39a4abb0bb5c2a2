"""The review app over HTTP (no browser): who may see and change what, CSRF, escaping of hostile text,
version checks between two people, and that each change is a decision the pages then show."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from review_round import JS_SENDER, SCRIPT, write_round
from typer.testing import CliRunner

from flows.cli import app as cli
from pipeline import review
from webapp.auth import Users
from webapp.main import Settings, create_app

PASSWORD = "et langt passord"


@pytest.fixture()
def site(tmp_path):
    out = write_round(tmp_path / "processed" / "runde")
    users = Users(tmp_path / "brukere.sqlite")
    users.add("kari", PASSWORD, "analyst")
    users.add("ola", PASSWORD, "reader")
    return create_app(Settings({"runde": out}, users.path)), out


def _csrf(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def _version(page) -> str:
    return re.search(r'name="versjon" value="([^"]+)"', page.text)[1]


def _signed_in(app, name: str = "kari") -> TestClient:
    client = TestClient(app)
    form = {"csrf": _csrf(client.get("/logg-inn")), "brukernavn": name, "passord": PASSWORD, "neste": "/r/runde"}
    assert client.post("/logg-inn", data=form).status_code == 200
    return client


def _decisions(out) -> list:
    with review.open_store(review.store_path(out)) as store:
        return store.log()


def test_nothing_is_shown_before_signing_in_and_a_wrong_password_is_refused(site):
    app, _ = site
    client = TestClient(app)
    first = client.get("/r/runde/temaer", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/logg-inn")
    form = {"csrf": _csrf(client.get("/logg-inn")), "brukernavn": "kari", "passord": "feil passord", "neste": "/"}
    refused = client.post("/logg-inn", data=form)
    assert refused.status_code == 401 and "Feil brukernavn eller passord" in refused.text
    assert client.get("/r/runde/temaer", follow_redirects=False).status_code == 303


def test_a_reader_sees_the_pages_without_forms_and_cannot_change_anything(site):
    app, out = site
    analyst, reader = _signed_in(app), _signed_in(app, "ola")
    version = _version(analyst.get("/r/runde/tema/0"))
    page = reader.get("/r/runde/tema/0")
    assert page.status_code == 200 and "Lagre navn" not in page.text and "Flytt" not in page.text
    refused = reader.post("/r/runde/tema/0/navn", data={"csrf": _csrf(page), "versjon": version, "navn": "Mitt navn"})
    assert refused.status_code == 403 and "lesetilgang" in refused.text
    assert _decisions(out) == []


def test_a_form_without_the_sessions_csrf_token_is_refused(site):
    app, out = site
    client = _signed_in(app)
    version = _version(client.get("/r/runde/tema/0"))
    for token in ("", "forfalsket"):
        refused = client.post("/r/runde/tema/0/navn", data={"csrf": token, "versjon": version, "navn": "X"})
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert _decisions(out) == []


def test_hostile_text_is_shown_as_text_and_never_becomes_a_link(site):
    app, _ = site
    client = _signed_in(app)
    for path in ("/r/runde/tema/0", "/r/runde/tiltak/7S", "/r/runde/svar/bydel-alna", "/r/runde/svar/kari-nordmann"):
        page = client.get(path)
        assert page.status_code == 200
        assert SCRIPT not in page.text and "<script>alert" not in page.text
        assert not re.search(r'href="\s*javascript:', page.text, re.I)
        assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "&lt;script&gt;" in client.get("/r/runde/tema/0").text
    assert JS_SENDER in client.get("/r/runde/svar/kari-nordmann").text  # shown, as text


def test_two_people_renaming_the_same_theme_do_not_overwrite_each_other(site):
    app, out = site
    kari, anne = _signed_in(app), _signed_in(app)
    page_k, page_a = kari.get("/r/runde/tema/0"), anne.get("/r/runde/tema/0")
    saved = kari.post(
        "/r/runde/tema/0/navn", data={"csrf": _csrf(page_k), "versjon": _version(page_k), "navn": "Helse"}
    )
    assert saved.status_code == 200 and "Navnet er lagret" in saved.text
    late = anne.post(
        "/r/runde/tema/0/navn", data={"csrf": _csrf(page_a), "versjon": _version(page_a), "navn": "Penger"}
    )
    assert late.status_code == 409 and "Noen andre har endret" in late.text
    assert [d.after for d in _decisions(out)] == ["Helse"]
    assert "Helse" in anne.get("/r/runde/temaer").text


def test_each_change_is_a_decision_and_the_pages_show_it(site):
    app, out = site
    client = _signed_in(app)
    theme = client.get("/r/runde/tema/1")
    common = {"csrf": _csrf(theme), "versjon": _version(theme)}
    client.post("/r/runde/tema/1/flytt", data={**common, "kommentar": "kari-nordmann-1", "til": "-1"})
    assert "kari-nordmann-1" in client.get("/r/runde/tema/-1").text
    measure = client.get("/r/runde/tiltak/3F")
    version = re.search(r'name="versjon" value="(\d+)"', measure.text)[1]
    form = {"csrf": _csrf(measure), "versjon": version, "kommentar": "kari-nordmann-2", "kode": "3F"}
    client.post("/r/runde/kobling", data={**form, "behold": "nei"})
    assert "kari-nordmann-2" not in client.get("/r/runde/tiltak/3F").text
    client.post("/r/runde/legg-til-tiltak", data={**form, "versjon": "ny", "kode": "7 s"})
    assert "kari-nordmann-2" in client.get("/r/runde/tiltak/7S").text
    measure = client.get("/r/runde/tiltak/7S")
    version = re.search(r'id="k-bydel-alna-2".*?name="versjon" value="(\d+)"', measure.text, re.S)[1]
    stance = {
        "csrf": _csrf(measure),
        "versjon": version,
        "kommentar": "bydel-alna-2",
        "kode": "7S",
        "holdning": "proposal",
    }
    assert client.post("/r/runde/holdning", data=stance).status_code == 200
    response = client.get("/r/runde/svar/kari-nordmann")
    sender = {"csrf": _csrf(response), "versjon": _version(response), "navn": "Kari Nordmann", "type": "person"}
    client.post("/r/runde/svar/kari-nordmann/avsender", data=sender)
    assert "Kari Nordmann" in client.get("/r/runde/tiltak/7S").text
    kinds = [d.kind for d in _decisions(out)]
    assert kinds == ["comment.theme", "mention", "mention", "comment.stance", "response.sender"]
    assert all(d.who == "kari" for d in _decisions(out))
    bad = client.post("/r/runde/legg-til-tiltak", data={**form, "versjon": "ny", "kode": "99X"})
    assert bad.status_code == 400 and "ikke en tiltakskode" in bad.text


def test_a_drift_suggestion_rejected_in_the_app_counts_the_comment_for_the_cited_code(site):
    app, out = site
    client = _signed_in(app)
    page = client.get("/r/runde/tiltak/3F")
    assert "Forslag: 7S → 3F" in page.text
    version = re.search(r'id="k-bydel-alna-3".*?name="versjon" value="(\d+)"', page.text, re.S)[1]
    form = {"csrf": _csrf(page), "versjon": version, "kommentar": "bydel-alna-3", "kode": "7S", "godta": "nei"}
    assert "kommentaren teller for 7S" in client.post("/r/runde/drift", data=form).text
    assert "bydel-alna-3" not in client.get("/r/runde/tiltak/3F").text
    assert "bydel-alna-3" in client.get("/r/runde/tiltak/7S").text
    (decision,) = _decisions(out)
    assert (decision.kind, decision.target, decision.before, decision.after) == ("drift", "bydel-alna-3 7S", "3F", None)


def test_add_user_hashes_the_password_and_refuses_a_short_one(tmp_path, monkeypatch):
    path = tmp_path / "brukere.sqlite"
    monkeypatch.setenv("HORING_PASSORD", PASSWORD)
    done = CliRunner().invoke(cli, ["app", "add-user", "kari", "--rolle", "reader", "--brukere", str(path)])
    assert done.exit_code == 0, done.output
    assert Users(path).check("kari", PASSWORD).role == "reader"
    assert PASSWORD.encode() not in path.read_bytes()
    monkeypatch.setenv("HORING_PASSORD", "kort")
    short = CliRunner().invoke(cli, ["app", "add-user", "ola", "--brukere", str(path)])
    assert short.exit_code == 2 and "minst 8 tegn" in short.output


def test_the_app_listens_on_this_machine_and_warns_without_tls_elsewhere(site, tmp_path, monkeypatch):
    import uvicorn

    _, out = site
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, log_level: served.append((host, port)))
    users = ["--brukere", str(tmp_path / "brukere.sqlite")]
    local = CliRunner().invoke(cli, ["app", "--out", str(out), *users])
    assert local.exit_code == 0, local.output
    assert "http://127.0.0.1:8000/" in local.output and "TLS" not in local.output
    wide = CliRunner().invoke(cli, ["app", "--out", str(out), "--host", "0.0.0.0", "--port", "8080", *users])
    assert "ikke bare på denne maskinen" in wide.output and "TLS" in wide.output
    assert served == [("127.0.0.1", 8000), ("0.0.0.0", 8080)]


def test_documents_of_a_folder_without_a_run_are_refused_with_the_missing_file(tmp_path):
    (tmp_path / "tom").mkdir()
    done = CliRunner().invoke(cli, ["dokumenter", "--out", str(tmp_path / "tom")])
    assert done.exit_code == 2 and "responses.parquet mangler" in done.output


def test_learning_from_a_round_without_enough_review_leaves_the_models_as_they_are(site, shipped_models):
    _, out = site
    with review.open_store(review.store_path(out)) as store:
        store.record("kari", "comment.stance", "bydel-alna-1", after="critique")
    done = CliRunner().invoke(cli, ["laer", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "For få gjennomgåtte holdninger (1, minst 5): modellen for holdning er uendret." in done.output
    assert not list(shipped_models.glob("*.json"))


def test_the_learn_button_says_what_it_did_and_a_reader_cannot_press_it(site, shipped_models):
    app, out = site
    analyst, reader = _signed_in(app), _signed_in(app, "ola")
    page = analyst.get("/r/runde")
    done = analyst.post("/r/runde/laer", data={"csrf": _csrf(page)})
    assert done.status_code == 200 and "Ingen gjennomgang å lære av ennå" in done.text
    refused = reader.post("/r/runde/laer", data={"csrf": _csrf(reader.get("/r/runde"))})
    assert refused.status_code == 403
    assert not list(shipped_models.glob("*.json"))


def test_a_rejected_link_added_again_comes_back_as_the_machine_found_it(site):
    app, out = site
    client = _signed_in(app)
    page = client.get("/r/runde/tiltak/3F")
    version = re.search(r'id="k-bydel-alna-1".*?name="versjon" value="(\d+)"', page.text, re.S)[1]
    form = {"csrf": _csrf(page), "versjon": version, "kommentar": "bydel-alna-1", "kode": "3F"}
    client.post("/r/runde/kobling", data={**form, "behold": "nei"})
    assert 'id="k-bydel-alna-1"' not in client.get("/r/runde/tiltak/3F").text
    client.post("/r/runde/legg-til-tiltak", data={**form, "versjon": "ny"})
    back = client.get("/r/runde/tiltak/3F").text
    assert 'id="k-bydel-alna-1"' in back and "koden står i teksten (3F)" in back
    assert [d.before["kind"] for d in _decisions(out)] == ["explicit", "explicit"]
