"""The clinical safety pass: every warning sign of the intake and the diary raises a notice with
the guideline category and urgency it needs; notices come back after a "no"; derived flags;
open notices at the desk; the diary's warning check; no writes to closed records."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from conftest import csrf_token, submit
from diary_helpers import create_link, today_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

EN = {"Accept-Language": "en"}

# The guideline's red flags (NVL Kreuzschmerz, NICE NG59), written out here rather than read
# from the catalogue, so that a change to the catalogue has to change this table too.
EXPECTED = {
    "rf_bladder_bowel": ("cauda_equina", "emergency"),
    "rf_saddle_numbness": ("cauda_equina", "emergency"),
    "rf_leg_weakness": ("cauda_equina", "emergency"),
    "rf_both_legs": ("cauda_equina", "today"),
    "rf_leg_numbness": ("nerve", "today"),
    "rf_fever": ("infection", "today"),
    "rf_immunosuppression": ("infection", "soon"),
    "rf_iv_drugs": ("infection", "soon"),
    "rf_recent_infection": ("infection", "soon"),
    "rf_spinal_injection": ("infection", "soon"),
    "rf_major_trauma": ("fracture", "today"),
    "rf_minor_trauma_bone": ("fracture", "soon"),
    "rf_cancer_history": ("tumour", "soon"),
    "rf_weight_loss": ("tumour", "soon"),
    "rf_night_pain": ("tumour", "soon"),
    "rf_age_onset": ("tumour", "soon"),
    "rf_no_improvement": ("tumour", "soon"),
}
DIARY = ("rf_bladder_bowel", "rf_saddle_numbness", "rf_leg_weakness", "rf_leg_numbness",
         "rf_fever", "rf_major_trauma", "rf_weight_loss", "rf_night_pain")
URGENCY_TEXT = {"emergency": "Emergency: emergency department or 112 now",
                "today": "See a doctor today",
                "soon": "See a doctor within the next few days"}
CATEGORY_TEXT = {"cauda_equina": "compression of the nerve roots (cauda equina)",
                 "nerve": "nerve root irritation", "infection": "infection",
                 "fracture": "fracture", "tumour": "neoplasm"}


def text(response) -> str:
    return response.get_data(as_text=True)


def alerts_of(app, cid):
    from practice.clients.models import ClientAlert
    from practice.extensions import db

    with app.app_context():
        return [(a.source, list(a.reasons), a.acknowledged_at is not None) for a in
                db.session.scalars(sa.select(ClientAlert).where(ClientAlert.client_id == cid)
                                   .order_by(ClientAlert.id))]


def test_the_catalogue_matches_the_guideline_table():
    from practice.safety.signs import DIARY_SIGNS, INTAKE_SIGNS, SIGNS

    assert {s.key: (s.category, s.urgency) for s in SIGNS} == EXPECTED
    assert tuple(s.key for s in DIARY_SIGNS) == DIARY
    assert {s.key for s in INTAKE_SIGNS} == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_intake_sign_raises_a_notice_with_category_and_urgency(app, admin_client, key):
    cid = client_id(new_client(admin_client, **{key: "y"}))
    assert alerts_of(app, cid) == [("intake", [key], False)]
    category, urgency = EXPECTED[key]
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "Refer to a doctor" in page and URGENCY_TEXT[urgency] in page
    assert f"Serious cause to rule out: {CATEGORY_TEXT[category]}" in page
    assert "possible tumour" not in page  # neutral words: the client may read along
    # ... and at the desk: on the start page, in the list and at the top of the visit form.
    assert "Schäfer" in text(admin_client.get("/", headers=EN))
    assert "Refer to a doctor" in text(admin_client.get("/clients/", headers=EN))
    form = text(admin_client.get(f"/clients/{cid}/visits/new", headers=EN))
    assert form.index("Refer to a doctor") < form.index('name="visited_at"')


def phone_of(app, admin_client, cid):
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    return phone, today_of(phone)


def diary_post(phone, day, slot, **values):
    page = text(phone.get(f"/diary/{day}/{slot}"))
    data = {"csrf_token": csrf_token(page), "pain": "5", **values}
    return phone.post(f"/diary/{day}/{slot}", data=data)


@pytest.mark.parametrize("key", DIARY)
def test_every_diary_sign_gets_its_urgency_and_reaches_the_desk(app, admin_client, key):
    cid = client_id(new_client(admin_client, language="en"))
    phone, today = phone_of(app, admin_client, cid)
    response = diary_post(phone, today, "morning", warning="yes", warning_signs=key)
    page = text(response)
    assert response.status_code == 200
    if EXPECTED[key][0] == "cauda_equina":
        assert "Call 112 or go to an emergency department now" in page
    else:
        assert "Please see a doctor today" in page and "Call 112 or go" not in page
    assert "Your practice will see it the next time someone there opens the app" in page
    assert "has been informed" not in page and "notified" not in page
    assert alerts_of(app, cid) == [("diary", [f"diary:{key}:{today}:morning"], False)]
    desk = text(admin_client.get(f"/clients/{cid}", headers=EN))
    urgency = "emergency" if EXPECTED[key][0] == "cauda_equina" else EXPECTED[key][1]
    assert URGENCY_TEXT[urgency] in desk and "Diary," in desk


def test_the_diary_warning_check_is_never_preanswered_and_asks_which(app, admin_client):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    cid = client_id(new_client(admin_client, language="en"))
    phone, today = phone_of(app, admin_client, cid)
    form = text(phone.get(f"/diary/{today}/evening"))
    assert re.search(r'name="warning"[^>]*checked', form) is None
    assert "Since your last entry, or still there" in form
    for sign in ("Numbness around the genitals", "A leg getting weaker", "Fever or chills",
                 "A bad fall or an accident", "Losing weight without trying",
                 "does not ease when you change position", "New numbness or tingling in a leg",
                 "New trouble with urine or stool"):
        assert sign in form, sign
    missing = diary_post(phone, today, "evening", note="kept")
    assert missing.status_code == 200 and "it matters for your safety" in text(missing)
    assert "kept" in text(missing)
    which = diary_post(phone, today, "evening", warning="yes")
    assert which.status_code == 200 and "Please tick which" in text(which)
    both = diary_post(phone, today, "evening", warning="no", warning_signs="rf_fever")
    assert both.status_code == 200 and "answered No" in text(both)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
    assert diary_post(phone, today, "evening", warning="no").status_code == 302
    two = diary_post(phone, today, "morning", warning="yes",
                     warning_signs=["rf_fever", "rf_saddle_numbness"])
    assert "Call 112" in text(two)  # the most urgent sign decides
    with app.app_context():
        entry = db.session.scalar(sa.select(DiaryEntry).where(DiaryEntry.slot == "morning"))
        assert entry.warning and sorted(entry.warning_signs) == ["rf_fever", "rf_saddle_numbness"]


def test_the_german_diary_check_reads_in_sie(app, admin_client):
    cid = client_id(new_client(admin_client, language="de"))
    phone, today = phone_of(app, admin_client, cid)
    form = text(phone.get(f"/diary/{today}/morning"))
    assert "Seit Ihrem letzten Eintrag neu oder noch immer da" in form
    assert "Ja, mindestens eines davon" in form and "Nein, nichts davon" in form
    page = text(diary_post(phone, today, "morning", warning="yes",
                           warning_signs="rf_bladder_bowel"))
    assert "Rufen Sie die 112 oder gehen Sie jetzt in die Notaufnahme" in page
    assert "bisher weiß niemand davon" in page


INTAKE = {"pain_now": "6", "red_flag_screen_done": "y", "action": "complete"}


def start_page_line(admin_client, name):
    """The start page's attention line of a client (None if it is not listed)."""
    page = text(admin_client.get("/", headers=EN))
    found = re.search(rf"<li><a href=\"/clients/\d+\"><strong>{name}</strong></a>(.*?)</li>",
                      page, re.S)
    return found.group(1) if found else None


def test_open_notices_lead_the_start_page_until_acknowledged(app, admin_client):
    cid = client_id(new_client(admin_client, first_name="Greta", last_name="Notice",
                               language="en", rf_fever="y"))
    phone, today = phone_of(app, admin_client, cid)
    diary_post(phone, today, "morning", warning="yes", warning_signs=DIARY[0])
    line = start_page_line(admin_client, "Greta Notice")
    # Two open notices (intake and diary): one line with both reasons.
    assert line is not None and line.count("Refer to a doctor") == 1
    assert "Fever" in line and "Diary" in line, line
    listed = text(admin_client.get("/clients/?flags=open", headers=EN))
    assert "Notice, Greta" in listed
    page = text(admin_client.get(f"/clients/{cid}"))
    for alert in re.findall(r"/alerts/(\d+)/acknowledge", page):
        submit(admin_client, f"/clients/{cid}/alerts/{alert}/acknowledge",
               {"note": "GP", "confirmed": "1"}, page=f"/clients/{cid}")
        # One acknowledged, the other still open: still listed.
        break
    assert start_page_line(admin_client, "Greta Notice") is not None
    page = text(admin_client.get(f"/clients/{cid}"))
    for alert in re.findall(r"/alerts/(\d+)/acknowledge", page):
        submit(admin_client, f"/clients/{cid}/alerts/{alert}/acknowledge",
               {"note": "GP", "confirmed": "1"}, page=f"/clients/{cid}")
    line = start_page_line(admin_client, "Greta Notice")
    assert line is None or "Refer to a doctor" not in line
    assert "Notice, Greta" not in text(admin_client.get("/clients/?flags=open", headers=EN))


def test_the_start_page_reuses_its_lists_only_while_they_show_the_same(app, admin_client):
    from practice.core.views import START_LISTS

    cid = client_id(new_client(admin_client, first_name="Rosa", last_name="Reuse", language="en"))
    phone, today = phone_of(app, admin_client, cid)
    START_LISTS.clear()
    first = text(admin_client.get("/", headers=EN))
    again = text(admin_client.get("/", headers=EN))
    assert again == first and (START_LISTS.misses, START_LISTS.hits) == (1, 1)
    assert start_page_line(admin_client, "Rosa Reuse") is None
    # A warning from the phone changes the rows: the next start page shows it at once.
    diary_post(phone, today, "morning", warning="yes", warning_signs=DIARY[0])
    line = start_page_line(admin_client, "Rosa Reuse")
    assert line is not None and "Refer to a doctor" in line
    # Another language is another part, never the English one.
    submit(admin_client, "/language", {"language": "de", "next": "/"}, page="/")
    german = text(admin_client.get("/"))
    assert "Ärztlich abklären lassen" in german and "Refer to a doctor" not in german


def test_a_sign_answered_no_and_then_yes_again_raises_a_new_notice(app, admin_client):
    cid = client_id(new_client(admin_client, rf_fever="y"))
    page = text(admin_client.get(f"/clients/{cid}"))
    alert = re.search(r"/alerts/(\d+)/acknowledge", page).group(1)
    submit(admin_client, f"/clients/{cid}/alerts/{alert}/acknowledge",
           {"note": "GP", "confirmed": "1"},
           page=f"/clients/{cid}")
    submit(admin_client, f"/clients/{cid}/intake/", {**INTAKE, "rf_fever": "y"})
    assert len(alerts_of(app, cid)) == 1  # still yes: nothing new
    submit(admin_client, f"/clients/{cid}/intake/", INTAKE)  # answered "no" now
    assert len(alerts_of(app, cid)) == 1
    submit(admin_client, f"/clients/{cid}/intake/", {**INTAKE, "rf_fever": "y"})  # back
    assert alerts_of(app, cid)[-1] == ("intake", ["rf_fever"], False)
    assert len(alerts_of(app, cid)) == 2


def test_flags_derived_from_answers_already_given(app, admin_client):
    cases = [({"trigger": "fall"}, ["rf_major_trauma"]),
             ({"trigger": "accident", "osteoporosis": "yes"},
              ["rf_major_trauma", "rf_minor_trauma_bone"]),
             ({"night_pain": "yes", "position_helps": "no"}, ["rf_night_pain"]),
             ({"onset_age": "17"}, ["rf_age_onset"]), ({"onset_age": "51"}, ["rf_age_onset"]),
             ({"onset_age": "35", "night_pain": "yes", "position_helps": "yes"}, [])]
    for answers, expected in cases:
        cid = client_id(new_client(admin_client, **answers))
        found = [r for _source, reasons, _ack in alerts_of(app, cid) for r in reasons]
        assert found == expected, answers


def test_rheumatology_hint_only_where_the_criteria_are_defined(admin_client):
    asas = {"onset_age": "30", "onset": "gradual", "better_with": "movement",
            "night_pain": "yes", "night_eases_on_rising": "yes", "morning_stiffness": "45"}
    short = client_id(new_client(admin_client, duration="subacute", **asas))
    assert "Consider a rheumatology review" not in text(admin_client.get(
        f"/clients/{short}", headers=EN))
    long = client_id(new_client(admin_client, duration="chronic", **asas))
    assert "Consider a rheumatology review" in text(admin_client.get(
        f"/clients/{long}", headers=EN))
    # The "eases with movement" suggestion carries the hint when the criteria are met.
    html = visit_page(admin_client, long)
    assert "consider a rheumatology review" in html
    assert "consider a rheumatology review" not in visit_page(admin_client, short)


def test_saving_a_visit_with_an_open_notice_asks_first(app, admin_client):
    cid = client_id(new_client(admin_client, rf_fever="y"))
    html = visit_page(admin_client, cid)
    undecided = record_visit(admin_client, cid, {"pain_now": "5", "findings": "kept"}, html)
    assert undecided.status_code == 200
    assert "A notice is open: please acknowledge it" in text(undecided)
    assert "kept" in text(undecided)
    proceed = record_visit(admin_client, cid, {"pain_now": "5", "notice_decision": "proceed"})
    assert proceed.status_code == 302
    assert alerts_of(app, cid)[0][2] is False  # still open
    ack = record_visit(admin_client, cid, {"pain_now": "4", "notice_decision": "acknowledge",
                                           "notice_note": "sent to the GP today"})
    assert ack.status_code == 302
    assert alerts_of(app, cid)[0][2] is True
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert "sent to the GP today" in page and "Refer to a doctor" not in page


def test_open_notice_puts_the_warning_sheet_first_and_no_exercises(admin_client):
    cid = client_id(new_client(admin_client, rf_fever="y", morning_stiffness="40",
                               better_with="movement"))
    html = visit_page(admin_client, cid)
    suggested = re.findall(r'<li class="pick suggested" data-kind="(\w+)"', html)
    assert suggested and suggested[0] == "warning_signs"
    assert "movement" not in suggested


def test_diary_warnings_feed_the_suggestions(app, admin_client):
    cid = client_id(new_client(admin_client, language="en"))
    phone, today = phone_of(app, admin_client, cid)
    diary_post(phone, today, "morning", warning="yes", warning_signs="rf_fever")
    page = text(admin_client.get(f"/clients/{cid}"))
    alert = re.search(r"/alerts/(\d+)/acknowledge", page).group(1)
    submit(admin_client, f"/clients/{cid}/alerts/{alert}/acknowledge", {"confirmed": "1"},
           page=f"/clients/{cid}")
    html = visit_page(admin_client, cid)  # acknowledged, but the diary still says so
    suggested = re.findall(r'<li class="pick suggested" data-kind="(\w+)"', html)
    assert suggested[:1] == ["warning_signs"]


def pdf_first_page(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_a_handout_with_an_open_notice_asks_then_leads_with_the_warning(app, admin_client):
    pytest.importorskip("weasyprint")
    cid = client_id(new_client(admin_client, rf_bladder_bowel="y", language="de"))
    ask = submit(admin_client, f"/clients/{cid}/handouts", {"language": "de"},
                 page=f"/clients/{cid}")
    assert ask.status_code == 200 and "before you go on" in text(ask)
    response = admin_client.post(f"/clients/{cid}/handouts", data={
        "csrf_token": csrf_token(text(ask)), "language": "de", "notice_decision": "acknowledge",
        "notice_note": "Notaufnahme empfohlen"})
    assert response.status_code == 302
    first = pdf_first_page(admin_client.get(response.location).data)
    lead = "Bitte gehen Sie jetzt in die Notaufnahme oder rufen Sie die 112"
    assert lead in first and first.index(lead) < first.index("Wann zur Ärztin oder zum Arzt?")
    assert "Urin oder Stuhl" in first


CLOSED_WRITES = [
    ("visits/new", {"pain_now": "4", "notice_decision": "proceed"}),
    ("visits/1/correct", {"pain_now": "3", "practitioner_id": "1"}),
    ("handouts", {"language": "de", "notice_decision": "proceed"}),
    ("diary/link", {}),
    ("intake/", INTAKE),
]


@pytest.mark.parametrize("closing", ["archive", "withdraw"])
def test_no_writes_to_an_archived_record_or_without_consent(app, admin_client, closing):
    from test_out_of_range_ids import counts

    cid = client_id(new_client(admin_client))
    assert record_visit(admin_client, cid, {"pain_now": "5"}).status_code == 302
    if closing == "archive":
        submit(admin_client, f"/clients/{cid}/archive", {"archived": "1", "confirmed": "1"},
               page=f"/clients/{cid}")
        message = "This record is archived"
    else:
        submit(admin_client, f"/clients/{cid}/consent", {"consent": "withdraw", "confirmed": "1"},
               page=f"/clients/{cid}")
        message = "withdrawn consent"
    before = counts(app)
    token = csrf_token(text(admin_client.get(f"/clients/{cid}", headers=EN)))
    today = date.today()
    writes = CLOSED_WRITES + [(f"diary/paper?day={today - timedelta(days=1)}&slot=morning",
                               {"pain": "3", "warning": "no"})]
    for path, data in writes:
        response = admin_client.post(f"/clients/{cid}/{path}", headers=EN,
                                     data={"csrf_token": token, **data})
        assert response.status_code == 302, path
        assert response.location == f"/clients/{cid}", path
        page = text(admin_client.get(response.location, headers=EN))
        assert message in page, path
    for path in ("visits/new", "visits/1/correct", f"diary/paper?day={today}&slot=morning"):
        assert admin_client.get(f"/clients/{cid}/{path}").location == f"/clients/{cid}"
    assert counts(app) == before
    page = text(admin_client.get(f"/clients/{cid}", headers=EN))
    assert 'href="/clients/%d/visits/new"' % cid not in page  # no button that cannot work
    assert "Jana" in page  # the record stays readable
