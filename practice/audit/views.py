"""The access log for admins: who did what on which record, filtered, paged, exported."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from practice.accounts.models import Practitioner
from practice.audit import log
from practice.clients.models import Client
from practice.extensions import db
from practice.forms import Form
from practice.inputs import parse_id
from practice.security import admin_required

bp = Blueprint("access_log", __name__, url_prefix="/access-log")


class LogFilterForm(Form):
    """The filter above the log (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    client = IntegerField(_l("Client number"), validators=[Optional(), NumberRange(1, 2**31)])
    actor = SelectField(_l("Practitioner"), default="")
    action = SelectField(_l("Action"), default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])


def _form() -> tuple[LogFilterForm, log.LogFilter]:
    form = LogFilterForm(request.args)
    people = db.session.execute(sa.select(Practitioner.id, Practitioner.name)
                                .order_by(Practitioner.name)).all()
    form.actor.choices = [("", _l("everyone"))] + [(str(p.id), p.name) for p in people]
    form.action.choices = [("", _l("every action"))] + [
        (a, log.action_label(a)) for a in log.known_actions()]
    if not request.args or not form.validate():
        # An unknown choice or a malformed date is shown at its field; the log stays unfiltered
        # by it rather than failing.
        return form, log.LogFilter(
            client_id=form.client.data if not form.client.errors else None)
    if form.since.data and form.until.data and form.until.data < form.since.data:
        form.until.errors = [_l("The end cannot be before the start.")]
        return form, log.LogFilter(client_id=form.client.data)
    return form, log.LogFilter(client_id=form.client.data, actor_id=parse_id(form.actor.data),
                               action=form.action.data or "", since=form.since.data,
                               until=form.until.data)


@bp.route("/")
@admin_required
def index():
    """The log, newest first, a hundred at a time (its read audited after the page)."""
    form, chosen = _form()
    user = current_user._get_current_object()
    events, more = log.page(chosen, before=parse_id(request.args.get("before")), actor=user)
    actors, people = log.names(events)
    client = db.session.get(Client, chosen.client_id) if chosen.client_id else None
    arguments = {key: value for key, value in request.args.items() if key != "before"}
    return render_template("audit/log.html", form=form, events=events, more=more,
                           actors=actors, people=people, client=client, arguments=arguments,
                           label=log.action_label, kinds=log.ACTOR_KINDS)


@bp.route("/export.csv")
@admin_required
def export():
    """The filtered log as CSV."""
    _form_, chosen = _form()
    body = log.export_csv(chosen, actor=current_user._get_current_object())
    response = make_response(body)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response
