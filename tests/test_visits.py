"""Visits and the home-care plan through the real pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from conftest import h1, second_practitioner, submit
from intake_helpers import client_id, new_client
from visit_helpers import EN, item_ids, plan_ids, record_visit, visit_page


def text(response) -> str:
    return response.get_data(as_text=True)


def test_plan_over_several_visits(app, admin_client):
    from practice.extensions import db
    from practice.visits.models import Recommendation

    cid = client_id(new_client(admin_client))
    page = visit_page(admin_client, cid)
    ids = item_ids(page)
    warm, rub, bridge, breathe = (ids["Keep the lower back warm"], ids["Kidney rubbing"],
                                  ids["Glute bridge"], ids["Breathing into the lower back"]
                                  if "Breathing into the lower back" in ids else
                                  next(v for k, v in ids.items() if "reath" in k))
    first = record_visit(admin_client, cid, {
        "pain_now": "6", "add": [str(warm), str(rub), str(bridge)],
        f"add-{rub}-how_often": "morning and evening", f"add-{rub}-how_long": "3 minutes",
        f"add-{rub}-notes": "Rub until warm, then rest your hands there."}, page)
    assert first.status_code == 302, text(first)[:3000]
    client_page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    plan = client_page.split('id="plan-title"', 1)[1].split("</section>", 1)[0]
    for title in ("Keep the lower back warm", "Kidney rubbing", "Glute bridge"):
        assert title in plan
    assert "morning and evening, 3 minutes" in plan
    assert "Rub until warm, then rest your hands there." in plan

    # Second visit: stop the bridge, adjust kidney rubbing, add breathing, keep warmth.
    page = visit_page(admin_client, cid)
    active = plan_ids(page)
    assert set(active) == {"Keep the lower back warm", "Kidney rubbing", "Glute bridge"}
    second = record_visit(admin_client, cid, {
        "pain_now": "4", f"plan-{active['Glute bridge']}-action": "stop",
        f"plan-{active['Kidney rubbing']}-how_often": "every evening",
        "add": [str(breathe)]}, page)
    assert second.status_code == 302
    plan = text(admin_client.get(f"/clients/{cid}", headers=EN)).split(
        'id="plan-title"', 1)[1].split("</section>", 1)[0]
    assert "Glute bridge" not in plan
    assert "every evening, 3 minutes" in plan and "morning and evening" not in plan
    assert "Keep the lower back warm" in plan
    with app.app_context():
        rows = db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)).all()
        assert len(rows) == 5  # 3 + adjusted kidney rubbing + breathing
        old_rub = next(r for r in rows if r.item_id == rub and r.stopped_on)
        new_rub = next(r for r in rows if r.item_id == rub and not r.stopped_on)
        assert old_rub.stop_reason == "adjusted" and new_rub.replaces_id == old_rub.id
        assert new_rub.notes == "Rub until warm, then rest your hands there."  # kept
        bridge_row = next(r for r in rows if r.item_id == bridge)
        assert bridge_row.stop_reason == "stopped" and bridge_row.stopped_by.name == "Anna Admin"

    history = text(admin_client.get(f"/clients/{cid}/plan", headers=EN))
    assert history.count("Kidney rubbing") == 2
    assert "adjusted" in history and "stopped" in history and "current" in history
    assert "How often: morning and evening" in history and "How often: every evening" in history


def test_a_routine_follow_up_is_pain_and_save(admin_client):
    cid = client_id(new_client(admin_client))
    page = visit_page(admin_client, cid)
    warm = item_ids(page)["Keep the lower back warm"]
    record_visit(admin_client, cid, {"pain_now": "5", "add": [str(warm)]}, page)
    follow_up = record_visit(admin_client, cid, {"pain_now": "4", "notes": "better"})
    assert follow_up.status_code == 302
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Keep the lower back warm" in page.split('id="plan-title"', 1)[1]
    assert page.count("pain 4") == 1 and page.count("pain 5") == 1


def test_outcome_change_since_intake(admin_client):
    cid = client_id(new_client(admin_client, pain_now="6"))
    record_visit(admin_client, cid, {"pain_now": "5"})
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "-1 since intake" in page and "meaningful" not in page
    record_visit(admin_client, cid, {"pain_now": "3"})
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "-3 since intake · meaningful (2 or more points)" in page


def test_correction_keeps_the_original_visible(app, admin_client):
    from practice.extensions import db
    from practice.visits.models import Visit, VisitVersion

    cid = client_id(new_client(admin_client))
    record_visit(admin_client, cid, {"pain_now": "5", "findings": "tense left side"})
    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id))
    page = text(admin_client.get(f"/clients/{cid}/visits/{visit_id}/correct", headers=EN))
    assert "tense left side</textarea>" in page
    when = re.search(r'id="visited_at"[^>]*value="([^"]+)"', page).group(1)
    response = submit(admin_client, f"/clients/{cid}/visits/{visit_id}/correct", {
        "visited_at": when, "practitioner_id": "1", "pain_now": "3",
        "findings": "tense right side"}, headers=EN)
    assert response.status_code == 302
    detail = text(admin_client.get(f"/clients/{cid}/visits/{visit_id}", headers=EN))
    assert "corrected" in detail and "Version 2" in detail and "Saved by Anna Admin" in detail
    assert re.search(r'<td>Findings</td><td class="before">tense left side</td>'
                     r'<td class="after">tense right side</td>', detail)
    with app.app_context():
        versions = db.session.scalars(sa.select(VisitVersion).order_by(VisitVersion.number)).all()
        assert [v.data["pain_now"] for v in versions] == [5, 3]
        assert db.session.get(Visit, visit_id).pain_now == 3


def test_bad_visit_input_is_refused_and_nothing_is_lost(app, admin_client):
    from practice.extensions import db
    from practice.visits.models import Visit

    cid = client_id(new_client(admin_client))
    page = visit_page(admin_client, cid)
    warm = item_ids(page)["Keep the lower back warm"]
    yesterday = (date.today() - timedelta(days=5)).isoformat()
    response = record_visit(admin_client, cid, {
        "pain_now": "11", "findings": "keep me", "add": [str(warm)],
        f"add-{warm}-how_often": "twice", f"add-{warm}-ends_on": yesterday,
        f"add-{warm}-notes": "x" * 2500}, page)
    html = text(response)
    assert response.status_code == 200
    assert "Please check the marked fields. Nothing you typed has been lost." in html
    assert "Please enter a whole number from 0 to 10." in html
    assert "The end cannot be before the visit." in html
    assert "Please use at most 2000 characters (this has 2500)." in html
    assert "keep me</textarea>" in html and 'value="twice"' in html
    assert re.search(rf'name="add" value="{warm}" checked', html)
    future = record_visit(admin_client, cid, {"visited_at": "2099-01-01T10:00"})
    assert "A visit cannot lie in the future." in text(future)
    garbage = record_visit(admin_client, cid, {"visited_at": "yesterday-ish"})
    assert garbage.status_code == 200 and "Not a valid datetime value." in text(garbage)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0


def test_suggestions_on_the_visit_form(admin_client):
    cid = client_id(new_client(admin_client, morning_stiffness="45", better_with="movement"))
    page = visit_page(admin_client, cid)
    # One heading per reason (not the reason on every item), its first three items shown and
    # the rest folded under "more"; then every other item, each once.
    reason = "Morning stiffness that eases with movement."
    assert page.count(reason) == 1
    group = page.split('class="suggestion-group"', 1)[1].split("All items, the most used", 1)[0]
    assert reason in group.split("</h3>", 1)[0]
    shown = group.split('class="picker-more"', 1)[0]
    assert shown.count('<li class="pick suggested"') == 3
    members = group.count('<li class="pick suggested"')
    assert members > 3 and f"{members - 3} more for this reason" in group
    first_pick = page.split('<li class="pick', 1)[1][:40]
    assert first_pick.startswith(" suggested")  # suggestions come first
    offered = re.findall(r'name="add" value="(\d+)"', page)
    assert len(offered) == len(set(offered))  # each item once
    assert not re.search(r'name="add" value="\d+" checked', page)  # nothing applied by itself


def test_recommendations_keep_the_library_version_they_were_given_with(app, admin_client):
    from practice.extensions import db
    from practice.library import service as library
    from practice.library.models import ContentItem
    from practice.accounts.models import Practitioner

    cid = client_id(new_client(admin_client))
    page = visit_page(admin_client, cid)
    warm = item_ids(page)["Keep the lower back warm"]
    record_visit(admin_client, cid, {"add": [str(warm)]}, page)
    with app.app_context():
        item = db.session.get(ContentItem, warm)
        texts = {"de": item.current.text("de"), "en": {**item.current.text("en"),
                                                        "summary": "A new summary."}}
        library.add_version(item, texts, actor=db.session.get(Practitioner, 1))
        db.session.commit()
    history = text(admin_client.get(f"/clients/{cid}/plan", headers=EN))
    assert "library version 1" in history


def test_other_practitioners_cannot_reach_visits(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_visit(admin_client, cid, {"pain_now": "5"})
    ben = second_practitioner(app, admin_client)
    for path in (f"/clients/{cid}/visits/new", f"/clients/{cid}/visits/1",
                 f"/clients/{cid}/visits/1/correct", f"/clients/{cid}/plan"):
        assert ben.get(path).status_code == 404, path
    assert submit(ben, f"/clients/{cid}/visits/new", {"pain_now": "1"},
                  page="/clients/").status_code == 404
    # A visit id of one client under another client's address is not found either.
    other = client_id(new_client(admin_client, last_name="Zweite"))
    assert admin_client.get(f"/clients/{other}/visits/1").status_code == 404
    assert h1(admin_client.get(f"/clients/{cid}/visits/1", headers=EN)).startswith("Visit on")
