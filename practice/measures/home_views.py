"""The client's side: a questionnaire asked before the next visit, filled in on the phone
through the personal diary link. Registered on the diary's blueprint (practice.diary.
client_views), whose cookie check decides whose questionnaires these are: another client's
request is 404, whatever its id."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from practice.extensions import db
from practice.intake.questions import START_BACK as START_BACK_ITEMS
from practice.intake.questions import START_BACK_NOTICE
from practice.measures import forms, service
from practice.measures.instruments import PSFS, PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES, get
from practice.security import public


@public
def questionnaire(request_id: int):
    """Show or take the answers to one questionnaire the practice asked for."""
    client = g.diary_client.record
    asked = service.home_request(client, request_id)
    if asked is None:
        abort(404)
    instrument = get(asked.instrument)
    form = forms.home_form(instrument.key)
    if not asked.is_open:  # answered (or withdrawn): nothing more to fill in
        return render_template("diary/questionnaire.html", instrument=instrument, form=form,
                               asked=asked, done=True)
    if request.method == "GET" and instrument.key == PSFS:
        for n, name in enumerate(service.last_activities(client)[:PSFS_MAX_ACTIVITIES], 1):
            getattr(form, f"activity{n}").data = name
    if form.validate_on_submit():
        scored = forms.check(form)
        if scored is not None:
            service.fill_at_home(client, asked, scored)
            db.session.commit()
            return redirect(url_for("diary.home", saved="questionnaire"))
    return render_template("diary/questionnaire.html", instrument=instrument, form=form,
                           asked=asked, done=False, psfs_rows=PSFS_MAX_ACTIVITIES,
                           psfs_minimum=PSFS_MIN_ACTIVITIES, start_back=START_BACK_ITEMS,
                           start_back_notice=START_BACK_NOTICE)


def home_card(client) -> dict:
    """What the diary's home page shows about questionnaires: the ones to fill in on the
    phone, and whether a paper form waits at the practice."""
    open_requests = service.open_requests(client)
    phone = [r for r in open_requests if get(r.instrument).at_home]
    return {"questionnaires": phone,
            "paper_waiting": len(open_requests) - len(phone),
            "instrument_of": get}
