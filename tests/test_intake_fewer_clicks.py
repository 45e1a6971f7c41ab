"""The intake in fewer clicks, without JavaScript: "None of these apply" answers a group through
the server and stores nothing, never touches a warning sign, and Enter in a field sends nothing;
a draft is resumed where it was left."""

from __future__ import annotations

import sqlalchemy as sa

from conftest import submit
from html_forms import forms_of
from intake_helpers import client_id, new_client

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def sent(html: str, url: str) -> dict:
    """The intake form's values as the browser would send them (the last of a name wins)."""
    form = next(f for f in forms_of(html, url) if "none_apply" in f.names)
    return dict(form.values)


def clients_stored(app) -> int:
    from practice.clients.models import Client
    from practice.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Client))


def test_the_sections_and_their_groups_fit_the_button():
    from practice.intake.questions import NONE_APPLY, QUESTIONS, SECTIONS

    for section in SECTIONS:
        runs = [kind for kind, _questions in section.parts if kind == "yesno"]
        assert len(runs) <= 1, section.key  # the button answers the section's one yes/no run
        keys = [q.key for q in section.questions]
        for question in section.questions:
            if question.after:
                assert QUESTIONS[question.after].kind == "yesno"
                assert keys.index(question.after) < keys.index(question.key)
                assert question.key not in NONE_APPLY[section.key]
    assert set(NONE_APPLY) == {"timing", "tcm", "history"}


def test_none_apply_answers_the_rest_with_no_and_stores_nothing(app, admin_client):
    response = new_client(admin_client, complete=False, action=None, none_apply="timing",
                          worse_evening="yes", morning_stiffness="lots", since="a week ago")
    html = text(response)
    assert response.status_code == 200 and clients_stored(app) == 0
    values = sent(html, "/clients/new")
    assert values["worse_evening"] == "yes"  # an answer given stays
    assert values["night_pain"] == values["wakes_second_half"] == "no"
    assert values["alternating_buttock"] == "no"
    # Asked only after a yes to night pain, and "no" there is a warning sign: never defaulted.
    assert "position_helps" not in values and "night_eases_on_rising" not in values
    assert "cold_sensitive" not in values  # another group is left alone
    assert values["last_name"] == "Schäfer" and values["since"] == "a week ago"
    assert values["morning_stiffness"] == "lots"  # kept as typed, its error waits for a save
    assert "The questions not yet answered are now No." in html
    assert 'formaction="/clients/new#timing"' in html


def test_none_apply_confirms_the_screening_only_without_a_ticked_sign(app, admin_client):
    html = text(new_client(admin_client, complete=False, action=None, none_apply="red_flags"))
    values = sent(html, "/clients/new")
    assert values["red_flag_screen_done"] == "y"
    assert "Confirmed: every question asked, and none of the warning signs applies." in html

    html = text(new_client(admin_client, complete=False, action=None, none_apply="red_flags",
                           rf_fever="y"))
    values = sent(html, "/clients/new")
    assert "red_flag_screen_done" not in values and values["rf_fever"] == "y"
    assert "A warning sign is ticked." in html
    assert clients_stored(app) == 0


def test_an_unknown_group_shows_the_form_again(app, admin_client):
    for group in ("bogus", "", "<b id=fz1>", "start_back", "consent"):
        response = new_client(admin_client, complete=False, action=None, none_apply=group)
        assert response.status_code == 200, group
        assert "<b id=fz1>" not in text(response)
    assert clients_stored(app) == 0


def test_none_apply_on_an_existing_intake_adds_no_version(app, admin_client):
    from practice.clients.models import Client
    from practice.extensions import db

    cid = client_id(new_client(admin_client, complete=False, fatigue="yes"))
    url = f"/clients/{cid}/intake/"
    html = text(submit(admin_client, url, {"pain_now": "3", "fatigue": "yes",
                                           "none_apply": "tcm"}, headers=EN))
    values = sent(html, url)
    assert values["pain_now"] == "3" and values["fatigue"] == "yes"
    assert values["cold_sensitive"] == values["knee_weakness"] == "no"
    assert f'formaction="{url}#tcm"' in html
    with app.app_context():
        assert db.session.get(Client, cid).intake.version_count == 1


def test_enter_in_a_field_sends_neither_save_nor_complete(admin_client):
    html = text(admin_client.get("/clients/new", headers=EN))
    form = html[html.index('<form method="post" novalidate class="intake">'):]
    first = form[form.index("<button"):]
    # The form's default button, the one Enter would press, is disabled.
    assert first.startswith('<button type="submit" hidden disabled></button>')
    values = sent(html, "/clients/new")
    assert "action" not in values and "none_apply" not in values


def test_a_draft_is_resumed_where_it_was_left(app, admin_client):
    from practice.clients.models import Client
    from practice.extensions import db

    cid = client_id(new_client(admin_client, complete=False, night_pain="no",
                               since="two weeks", red_flag_screen_done=None))
    url = f"/clients/{cid}/intake/"
    html = text(admin_client.get(url, headers=EN))
    values = sent(html, url)
    assert values["night_pain"] == "no" and values["since"] == "two weeks"
    values.update({"pain_now": "4", "red_flag_screen_done": "y", "consent": "y",
                   "action": "complete"})
    response = submit(admin_client, url, values, headers=EN)
    assert response.status_code == 302
    with app.app_context():
        intake = db.session.get(Client, cid).intake
        assert intake.status == "complete" and intake.version_count == 2
        assert intake.current.answers["since"] == "two weeks"
