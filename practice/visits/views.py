"""Recording a visit with the plan changes, the visit record with its corrections, the plan
history."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.record_state import require_open
from practice.diary import analysis as diary_analysis
from practice.diary import service as diary_service
from practice.database import commit_unless_reading
from practice.extensions import db
from practice.handouts import service as handouts
from practice.i18n import practice_zone
from practice.intake.questions import START_BACK
from practice.library.labels import KIND_LABELS
from practice.library.models import KINDS, ContentItem
from practice.measures import forms as measure_forms
from practice.measures import pages as measure_pages
from practice.safety import decision as notice_decision
from practice.safety import notices
from practice.visits import plan_form, service
from practice.visits.forms import METHODS, VisitForm, record_labels
from practice.visits.models import Recommendation, Visit
from practice.visits.suggestions import suggest

bp = Blueprint("visits", __name__, url_prefix="/clients/<id:client_id>")


def _user():
    return current_user._get_current_object()


def _offered_items(plan, answers: dict, notice_open: bool = False):
    """Active library items, the suggested ones first (with reasons), then the most used."""
    items = list(db.session.scalars(
        sa.select(ContentItem).where(ContentItem.is_active.is_(True))
        .options(sa.orm.selectinload(ContentItem.versions))))  # titles: one query, not one each
    usage = service.usage_counts()
    items.sort(key=lambda i: (-usage.get(i.id, 0), KINDS.index(i.kind), i.title_de or i.title_en))
    planned = {r.item_id for r in plan}
    suggestions = suggest(answers, items, exclude_ids=planned, notice_open=notice_open)
    suggested = {s.item.id: s.reason for s in suggestions}
    ordered = [s.item for s in suggestions] + [i for i in items if i.id not in suggested]
    return ordered, suggested, {i.id: i for i in items}


def suggestion_groups(items: list, suggested: dict) -> list[tuple[str, list]]:
    """The suggested items under their reason, once each, in the rules' order (one heading
    per reason instead of the same reason on every item)."""
    groups: dict[str, list] = {}
    for item in items:
        if item.id in suggested:
            groups.setdefault(suggested[item.id], []).append(item)
    return list(groups.items())


def _render(template, client, form, plan, plan_input, answers, **extra):
    items, suggested, _by_id = _offered_items(plan, answers, bool(client.open_alerts))
    return render_template(template, client=client, form=form, plan=plan, plan_input=plan_input,
                           items=[i for i in items if i.id not in suggested],
                           groups=suggestion_groups(items, suggested), suggested=suggested,
                           kind_labels=KIND_LABELS,
                           start_back=START_BACK, methods=METHODS, **extra)


@bp.route("/visits/new", methods=["GET", "POST"])
def new(client_id: int):
    """Record a visit: findings, treatment, pain, and the plan continued, changed or added to."""
    user = _user()
    client = clients.get_for(user, client_id, action="visit.form")
    require_open(client)  # no form that could not be saved
    zone = practice_zone()
    form = VisitForm()
    form.practitioner_id.choices = [SelectChoice(p.id, p.name)
                                    for p in clients.assignable_practitioners()]
    if request.method == "GET":
        form.visited_at.data = datetime.now(zone).replace(second=0, microsecond=0, tzinfo=None)
        form.practitioner_id.data = user.id
    today = datetime.now(zone).date()
    answers = client.intake.answers if client.intake else {}
    recent = diary_service.entries(client, since=today - timedelta(days=27), until=today)
    pain_hint = None
    todays = [e for e in recent if e.day == today]  # oldest first: the evening is last
    if todays:
        latest = todays[-1]
        pain_hint = (_("From the diary this evening: %(pain)d", pain=latest.pain)
                     if latest.slot == "evening" else
                     _("From the diary this morning: %(pain)d", pain=latest.pain))
        if request.method == "GET":
            form.pain_now.data = latest.pain
    answers["diary_hints"] = {hint.key for hint in diary_analysis.hints(recent)}
    # Warning signs the client ticked in the diary feed the suggestions like intake flags.
    answers["diary_warnings"] = sorted({sign for entry in recent if entry.warning
                                        for sign in (entry.warning_signs or ["unspecified"])})
    plan = service.current_plan(client, today)
    plan_input = plan_form.PlanInput()
    decision = notice_decision.NoticeDecision(needed=bool(client.open_alerts))
    entry_forms = measure_forms.visit_forms(request.form if request.method == "POST" else None)
    entry_errors: list = []
    if request.method == "POST":
        decision = notice_decision.read(request.form, client)
        form_ok = form.validate_on_submit()
        # The day only from a time that passed its checks (year 1 at midnight has no UTC).
        day = (form.visited_at.data.date() if form.visited_at.data and not form.visited_at.errors
               else today)
        _items, _suggested, by_id = _offered_items(plan, answers, bool(client.open_alerts))
        plan_input = plan_form.read(request.form, plan, by_id, day)
        entry_scores, entry_errors = measure_forms.read_visit_forms(entry_forms)
        if form_ok and not plan_input.errors and decision.ok and not entry_errors:
            notice_decision.apply(decision, client, actor=user)
            practitioner = db.session.get(type(user), form.practitioner_id.data) or user
            visit, result = service.record_visit(
                client, form.values(), visited_at=form.local_to_utc(zone), day=day,
                practitioner=practitioner, actor=user, changes=plan_input.changes,
                additions=plan_input.additions, scores=entry_scores)
            handout = None
            if request.form.get("then") == "handout":
                # The notices were decided on this form: the handout leads with them.
                handout = handouts.issue(client, visit=visit, language=client.language,
                                         actor=user)
            db.session.commit()
            flash(_("Visit saved: %(added)d added, %(adjusted)d adjusted, %(stopped)d stopped, "
                    "%(continued)d continued.", added=len(result.added),
                    adjusted=len(result.adjusted), stopped=len(result.stopped),
                    continued=len(result.continued)), "success")
            if handout is not None:
                return redirect(url_for("handouts.download", client_id=client.id,
                                        handout_id=handout.id))
            return redirect(url_for("clients.show", client_id=client.id))
    commit_unless_reading()  # the audit event of opening the record
    return _render("visits/form.html", client, form, plan, plan_input, answers,
                   notices=notices.open_notices(client), decision=decision, pain_hint=pain_hint,
                   entry_forms=entry_forms, entry_errors=entry_errors,
                   **measure_pages.visit_measures(client, service.visits_of(client)))


def _visit_for(client_id: int, visit_id: int, action: str) -> tuple:
    client = clients.get_for(_user(), client_id, action=None)
    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.client_id != client.id:
        abort(404)
    audit.record(action, "visit", visit.id, actor=_user(), client=visit.client_id)
    return client, visit


@bp.route("/visits/<id:visit_id>")
def show(client_id: int, visit_id: int):
    """One visit: the record, what it changed in the plan, and its corrections."""
    client, visit = _visit_for(client_id, visit_id, "visit.view")
    db.session.commit()
    given = db.session.scalars(sa.select(Recommendation).where(
        Recommendation.visit_id == visit.id)).all()
    stopped = db.session.scalars(sa.select(Recommendation).where(
        Recommendation.stopped_visit_id == visit.id)).all()
    measure_series = measure_pages.as_of_visit(client, visit, service.visits_of(client))
    return render_template("visits/show.html", client=client, visit=visit, given=given,
                           stopped=stopped, history=service.visit_history(visit),
                           measure_series=measure_series,
                           kind_labels=KIND_LABELS, methods=dict(METHODS), start_back=START_BACK,
                           labels=record_labels())


@bp.route("/visits/<id:visit_id>/correct", methods=["GET", "POST"])
def correct(client_id: int, visit_id: int):
    """Correct a visit record; the original stays visible in its history."""
    client, visit = _visit_for(client_id, visit_id, "visit.view")
    require_open(client)
    zone = practice_zone()
    form = VisitForm()
    form.practitioner_id.choices = [SelectChoice(visit.practitioner_id, visit.practitioner.name)]
    if request.method == "GET":
        data = visit.data
        form.process(data={**data, "points": ", ".join(data.get("points", [])),
                           "visited_at": visit.visited_at.astimezone(zone).replace(tzinfo=None),
                           "practitioner_id": visit.practitioner_id})
    elif form.validate_on_submit():
        version = service.correct_visit(visit, form.values(), visited_at=form.local_to_utc(zone),
                                        actor=_user())
        db.session.commit()
        flash(_("Correction saved; the original stays visible.") if version
              else _("Nothing was changed."), "success")
        return redirect(url_for("visits.show", client_id=client.id, visit_id=visit.id))
    commit_unless_reading()
    return render_template("visits/correct.html", client=client, visit=visit, form=form,
                           start_back=START_BACK, methods=METHODS)


@bp.route("/plan")
def plan_history(client_id: int):
    """Everything recommended to the client: when, by whom, with which instructions, until when."""
    client = clients.get_for(_user(), client_id, action="plan.view_history")
    commit_unless_reading()
    return render_template("visits/plan_history.html", client=client,
                           recommendations=service.plan_history(client), kind_labels=KIND_LABELS)
