"""Client records through the real pages: notices, consent, validation, search, access."""

from __future__ import annotations

import re

import sqlalchemy as sa

from conftest import h1, second_practitioner, submit
from intake_helpers import client_id, new_client

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def test_red_flag_shows_a_notice_until_acknowledged(app, admin_client):
    from practice.clients.models import ClientAlert
    from practice.extensions import db

    cid = client_id(new_client(admin_client, rf_saddle_numbness="y"))
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Refer to a doctor" in page
    assert "Numbness in the saddle area" in page
    assert "Serious cause to rule out: compression of the nerve roots (cauda equina)" in page
    assert "Emergency: emergency department or 112 now" in page
    listing = text(admin_client.get("/clients/", headers=EN))
    assert "Refer to a doctor" in listing
    assert "Schäfer" in text(admin_client.get("/", headers=EN))  # on the start page too
    flagged = text(admin_client.get("/clients/?flags=open", headers=EN))
    assert "Schäfer" in flagged

    alert_id = re.search(r"/alerts/(\d+)/acknowledge", page).group(1)
    ask = submit(admin_client, f"/clients/{cid}/alerts/{alert_id}/acknowledge",
                 {"note": "sent to GP today"}, page=f"/clients/{cid}", headers=EN)
    assert ask.status_code == 200 and "The notice closes for everyone" in text(ask)
    assert "sent to GP today" in text(ask)  # what will be kept, shown before it is
    assert "Refer to a doctor" in text(admin_client.get(f"/clients/{cid}", headers=EN))
    response = submit(admin_client, f"/clients/{cid}/alerts/{alert_id}/acknowledge",
                      {"note": "sent to GP today", "confirmed": "1"}, page=f"/clients/{cid}")
    assert response.status_code == 302
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Refer to a doctor" not in page
    assert "Notice acknowledged by Anna Admin" in page and "sent to GP today" in page
    assert "Refer to a doctor" not in text(admin_client.get("/clients/", headers=EN))
    assert "Schäfer" not in text(admin_client.get("/clients/?flags=open", headers=EN))
    with app.app_context():
        alert = db.session.scalar(sa.select(ClientAlert))
        assert alert.acknowledged_by.name == "Anna Admin" and alert.acknowledged_at is not None


def test_a_draft_raises_red_flags_too(admin_client):
    cid = client_id(new_client(admin_client, complete=False, rf_fever="y"))
    assert "Refer to a doctor" in text(admin_client.get(f"/clients/{cid}", headers=EN))


def test_a_new_flag_after_acknowledgement_raises_a_new_notice(admin_client):
    cid = client_id(new_client(admin_client, rf_fever="y"))
    page = text(admin_client.get(f"/clients/{cid}"))
    alert_id = re.search(r"/alerts/(\d+)/acknowledge", page).group(1)
    submit(admin_client, f"/clients/{cid}/alerts/{alert_id}/acknowledge", {"confirmed": "1"},
           page=f"/clients/{cid}")
    edit = {"pain_now": "6", "red_flag_screen_done": "y", "rf_fever": "y", "action": "complete"}
    submit(admin_client, f"/clients/{cid}/intake/", edit)  # same flag again: no new notice
    assert "Refer to a doctor" not in text(admin_client.get(f"/clients/{cid}", headers=EN))
    submit(admin_client, f"/clients/{cid}/intake/", {**edit, "rf_weight_loss": "y"})
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Refer to a doctor" in page and "Weight loss without explanation" in page


def test_completing_needs_consent_but_a_draft_does_not(app, admin_client):
    from practice.clients.models import Client
    from practice.extensions import db

    response = new_client(admin_client, consent=None)
    assert response.status_code == 200
    assert "Without the client&#39;s consent the intake cannot be completed." in text(response)
    assert 'value="Schäfer"' in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 0

    cid = client_id(new_client(admin_client, consent=None, complete=False))
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "No consent in force" in page and "draft" in page

    response = new_client(admin_client, red_flag_screen_done=None, pain_now=None)
    html = text(response)
    assert "To complete the intake, enter the pain score now." in html
    assert "confirm that every warning-sign question was asked" in html


def test_consent_is_recorded_with_version_language_and_time_and_can_be_withdrawn(app, admin_client):
    from practice.clients.models import Consent
    from practice.extensions import db

    cid = client_id(new_client(admin_client))
    with app.app_context():
        consent = db.session.scalar(sa.select(Consent))
        assert (consent.text_version, consent.language) == ("2026-11", "de")
        assert consent.given_at is not None and consent.withdrawn_at is None
    ask = submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw"},
                 page=f"/clients/{cid}", headers=EN)
    assert "The diary link and the QR code on printed handouts stop working" in text(ask)
    assert "10 years" in text(ask)
    submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw", "confirmed": "1"},
           page=f"/clients/{cid}")
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Withdrawn on" in page and "No consent in force" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Consent)).withdrawn_at is not None


def test_bad_input_is_refused_politely_and_nothing_is_lost(app, admin_client):
    from practice.clients.models import Client
    from practice.extensions import db

    response = new_client(admin_client, first_name="J" * 100_000, date_of_birth="2999-01-01",
                          pain_now="11", morning_stiffness="-5", sitting_hours="abc",
                          since="since the move", tongue="pale")
    html = text(response)
    assert response.status_code == 200
    assert "Please check the marked fields. Nothing you typed has been lost." in html
    assert "Please use at most 100 characters (this has 100000)." in html
    assert "A date of birth cannot be in the future." in html
    assert "Please enter a whole number from 0 to 10." in html
    assert "Please enter a whole number from 0 to 720." in html
    assert "Not a valid integer value." in html
    for kept in ('value="since the move"', 'value="pale"', 'value="11"', 'value="-5"',
                 'value="Schäfer"'):
        assert kept in html, kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 0


def test_editing_keeps_every_version_with_who_and_what(app, admin_client):
    from practice.extensions import db
    from practice.intake.models import IntakeVersion

    cid = client_id(new_client(admin_client, tongue="pale"))
    response = submit(admin_client, f"/clients/{cid}/intake/",
                      {"pain_now": "4", "tongue": "red tip", "red_flag_screen_done": "y",
                       "action": "complete"})
    assert response.status_code == 302
    history = text(admin_client.get(f"/clients/{cid}/intake/history", headers=EN))
    assert "Version 2" in history and "Version 1" in history
    assert "Saved by Anna Admin" in history
    assert re.search(r'<td>Pain now.*?</td><td class="before">6</td><td class="after">4</td>',
                     history)
    assert re.search(r'<td>Tongue</td><td class="before">pale</td><td class="after">red tip</td>',
                     history)
    with app.app_context():
        versions = db.session.scalars(sa.select(IntakeVersion).order_by(IntakeVersion.number)).all()
        assert [v.answers["pain_now"] for v in versions] == [6, 4]
        assert versions[0].answers["tongue"] == "pale"  # the original is untouched
    # Saving without a change adds no version.
    submit(admin_client, f"/clients/{cid}/intake/",
           {"pain_now": "4", "tongue": "red tip", "red_flag_screen_done": "y", "action": "complete"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IntakeVersion)) == 2


def test_client_page_shows_scores_and_hints(admin_client):
    answers = {f"sb{i}": "agree" for i in range(1, 9)} | {"sb9": "extremely"}
    cid = client_id(new_client(admin_client, morning_stiffness="45", alternating_buttock="yes",
                               duration="chronic", **answers))
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "high risk" in page and "total 9/9, psychosocial 5/5" in page
    assert "Consider a rheumatology review" in page and "Berlin: 2 of 4" in page
    assert "not a diagnosis" in page


def test_search_folds_case_and_accents_and_filters(admin_client):
    client_id(new_client(admin_client))
    client_id(new_client(admin_client, first_name="Peter", last_name="Meier", complete=False))
    for query in ("schäfer", "SCHAFER", "jana sch", "sch jana", "SCHÄ", "ja"):
        html = text(admin_client.get("/clients/", query_string={"q": query}))
        assert "Schäfer" in html and "Meier" not in html, query
    # Words are matched from their beginning (through an index): the middle of a name is not.
    assert "No client matches." in text(admin_client.get("/clients/?q=%C3%A4fe", headers=EN))
    assert "No client matches." in text(admin_client.get("/clients/?q=zzz", headers=EN))
    assert "No client matches." in text(admin_client.get("/clients/?q=%25", headers=EN))
    partial = admin_client.get("/clients/?q=meier&partial=1")
    assert "Meier" in text(partial) and "<html" not in text(partial)


def test_list_rows_show_the_client_as_it_is_now(admin_client):
    """The rows are kept rendered by what they show: a change shows at once, nothing stale."""
    cid = client_id(new_client(admin_client))
    draft = client_id(new_client(admin_client, first_name="Peter", last_name="Meier",
                                 complete=False))
    row = re.search(r"<tr>\s*<td><a href=\"/clients/%d\">Schäfer, Jana</a>.*?</tr>" % cid,
                    text(admin_client.get("/clients/", headers=EN)), re.S)
    assert row, "the row links to the client page"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells[2].strip() == "6" and "Anna Admin" in cells[4]  # pain at intake, practitioner
    assert "draft" not in cells[0]
    listing = text(admin_client.get("/clients/?q=meier", headers=EN))
    assert f'href="/clients/{draft}">Meier, Peter</a>' in listing and ">draft<" in listing
    submit(admin_client, f"/clients/{cid}/details",
           {"first_name": "Jana", "last_name": "Schäfer-Kunz", "date_of_birth": "1984-04-02",
            "sex": "female", "language": "de", "practitioner_id": "1"}, page=f"/clients/{cid}/details")
    listing = text(admin_client.get("/clients/", headers=EN))
    assert "Schäfer-Kunz, Jana" in listing and "Schäfer, Jana" not in listing
    submit(admin_client, f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"},
           page=f"/clients/{cid}")
    archived = text(admin_client.get("/clients/?status=all", headers=EN))
    assert re.search(r"Schäfer-Kunz, Jana</a>\s*<span class=\"badge off\">archived", archived)


def test_archive_and_filters(admin_client):
    cid = client_id(new_client(admin_client))
    ask = submit(admin_client, f"/clients/{cid}/archive", {"archived": "1"},
                 page=f"/clients/{cid}", headers=EN)
    assert ask.status_code == 200 and "Nothing is deleted" in text(ask)
    submit(admin_client, f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"},
           page=f"/clients/{cid}")
    assert "Schäfer" not in text(admin_client.get("/clients/"))
    assert "Schäfer" in text(admin_client.get("/clients/?status=archived"))
    assert "Schäfer" in text(admin_client.get("/clients/?status=all"))


def test_list_is_paginated_newest_activity_first(app, admin_client):
    from practice.accounts.models import Practitioner
    from practice.clients import service
    from practice.extensions import db

    with app.app_context():
        anna = db.session.get(Practitioner, 1)
        for number in range(30):
            service.create({"first_name": "Client", "last_name": f"No {number:02d}",
                            "practitioner_id": anna.id}, actor=anna)
        db.session.commit()
    first = text(admin_client.get("/clients/", headers=EN))
    assert "30 clients" in first and "Page 1 of 2" in first
    assert first.index("No 29") < first.index("No 28")
    second = text(admin_client.get("/clients/?page=2", headers=EN))
    assert "No 00" in second and "No 29" not in second
    beyond = text(admin_client.get("/clients/?page=99", headers=EN))  # clamped to the last page
    assert "Page 2 of 2" in beyond and "No 00" in beyond
    assert "Page 1 of 2" in text(admin_client.get("/clients/?page=-3", headers=EN))


def test_practitioners_see_only_their_own_clients(app, admin_client):
    cid = client_id(new_client(admin_client, rf_fever="y"))
    ben = second_practitioner(app, admin_client)
    assert "Schäfer" not in text(ben.get("/clients/"))
    assert "Schäfer" not in text(ben.get("/"))
    # Their own notice they do see there.
    client_id(new_client(ben, first_name="Bens", last_name="Eigene", rf_fever="y",
                          practitioner_id="2"))
    assert "Bens Eigene" in text(ben.get("/")) and "Schäfer" not in text(ben.get("/"))
    for path in (f"/clients/{cid}", f"/clients/{cid}/details", f"/clients/{cid}/intake/",
                 f"/clients/{cid}/intake/history"):
        assert ben.get(path).status_code == 404, path
    for path, data in ((f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"}),
                       (f"/clients/{cid}/consent", {"consent": "withdraw", "confirmed": "1"}),
                       (f"/clients/{cid}/alerts/1/acknowledge", {"confirmed": "1"}),
                       (f"/clients/{cid}/intake/", {"pain_now": "1", "action": "draft"}),
                       (f"/clients/{cid}/details", {"first_name": "X", "last_name": "Y"})):
        assert submit(ben, path, data, page="/clients/").status_code == 404, path
    # The admin still sees the untouched record.
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Refer to a doctor" in page and 'class="badge off"' not in page


def test_reads_and_changes_are_audited_without_health_data(app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    cid = client_id(new_client(admin_client, tongue="very secret tongue"))
    admin_client.get(f"/clients/{cid}")
    admin_client.get(f"/clients/{cid}/intake/history")
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent)).all()
        actions = [e.action for e in events]
        assert {"client.create", "consent.give", "intake.save", "client.view",
                "intake.view_history"} <= set(actions)
        viewed = [e for e in events if e.action == "client.view"][0]
        assert (viewed.object_type, viewed.object_id, viewed.actor_id) == ("client", str(cid), 1)
        dumped = " ".join(f"{e.action} {e.object_type} {e.object_id}" for e in events)
        assert "secret" not in dumped and "Schäfer" not in dumped


def test_edit_details(admin_client):
    cid = client_id(new_client(admin_client))
    response = submit(admin_client, f"/clients/{cid}/details", {
        "first_name": "Jana", "last_name": "Schäfer-Berg", "date_of_birth": "1984-04-02",
        "sex": "female", "language": "en", "practitioner_id": "1"})
    assert response.status_code == 302
    assert h1(admin_client.get(f"/clients/{cid}")) == "Jana Schäfer-Berg"
    assert "Schäfer-Berg" in text(admin_client.get("/clients/?q=berg"))
    # The index follows the rename: the old name no longer finds the client.
    submit(admin_client, f"/clients/{cid}/details", {
        "first_name": "Jana", "last_name": "Lüdenscheid", "date_of_birth": "1984-04-02",
        "sex": "female", "language": "en", "practitioner_id": "1"})
    assert "Lüdenscheid" in text(admin_client.get("/clients/?q=LUDEN"))
    assert "No client matches." in text(admin_client.get("/clients/?q=berg",
                                                         headers={"Accept-Language": "en"}))


def test_list_stops_counting_at_the_limit(admin_client, monkeypatch):
    from practice.clients import service

    for number in range(5):
        client_id(new_client(admin_client, last_name=f"Zahl{number}"))
    assert "5 clients" in text(admin_client.get("/clients/", headers=EN))
    monkeypatch.setattr(service, "COUNT_LIMIT", 3)
    page = text(admin_client.get("/clients/", headers=EN))
    assert "More than 3 clients" in page
    assert all(f"Zahl{number}" in page for number in range(5))  # the page itself is complete


def test_search_pages_count_only_what_may_be_seen(app, admin_client):
    """A name search counts its matches in the page's own statement: the count, the pages and
    a page past the end still hold when some matches are archived."""
    from practice.accounts.models import Practitioner
    from practice.clients import service
    from practice.extensions import db

    with app.app_context():
        anna = db.session.get(Practitioner, 1)
        made = [service.create({"first_name": "Mara", "last_name": f"Lind {n:02d}",
                                "practitioner_id": anna.id}, actor=anna) for n in range(30)]
        for client in made[:3]:
            service.set_archived(client, True, actor=anna)
        db.session.commit()
    first = text(admin_client.get("/clients/?q=mara+lind", headers=EN))
    assert "27 clients" in first and "Page 1 of 2" in first
    beyond = text(admin_client.get("/clients/?q=mara+lind&page=9", headers=EN))
    assert "27 clients" in beyond and "Page 2 of 2" in beyond and "Lind 03" in beyond
    assert "Lind 02" not in beyond  # archived
    archived = text(admin_client.get("/clients/?q=mara+lind&status=archived", headers=EN))
    assert "3 clients" in archived and "Lind 00" in archived
    # Page 2 of 30 name matches, of which 3 are archived: back to the one page there is.
    archived = text(admin_client.get("/clients/?q=mara+lind&status=archived&page=2", headers=EN))
    assert "3 clients" in archived and "Lind 00" in archived and "Lind 05" not in archived
    assert "No client matches." in text(admin_client.get("/clients/?q=mara+zz", headers=EN))


def test_search_of_several_words_finds_what_each_word_finds(app, admin_client):
    """Searches of two words and more start from the name pairs' index: they find exactly the
    clients of whose name each word starts a word (the rule of the one-word index)."""
    from practice.accounts.models import Practitioner
    from practice.clients import service
    from practice.extensions import db

    names = [("Jana", "Meier"), ("Jan", "Meinhardt"), ("Janine", "Mei-Lin"), ("Anna", "Anna"),
             ("Li", "Meier"), ("Meier", "Jana-Lu"), ("Jörg", "Müller-Lüdenscheid"),
             ("Seán", "O'Brien"), ("Ute", "Li"), ("Jana", "Jansen"), ("Ja", "Mei")]
    queries = ["jana mei", "jan mei", "mei jan", "ja mei", "li mei", "mei li", "jan jana",
               "anna ann", "müller jörg", "lud jor", "o bri", "sean o", "jana meier lu",
               "ute li", "l m", "jan jans", "jansen jana", "mei", "zz jana", "meier meier"]
    with app.app_context():
        anna = db.session.get(Practitioner, 1)
        for first, last in names:
            service.create({"first_name": first, "last_name": last, "practitioner_id": anna.id},
                           actor=anna)
        db.session.commit()
        for query in queries:
            words = service.name_tokens(query)[:5]
            expected = {f"{first} {last}" for first, last in names
                        if all(any(token.startswith(word)
                                   for token in service.name_tokens(f"{first} {last}"))
                               for word in words)}
            page = service.search(anna, query=query, per_page=50)
            found = {f"{row.first_name} {row.last_name}" for row in page.rows}
            assert found == expected, query
            assert page.total == len(expected), query
        db.session.rollback()
