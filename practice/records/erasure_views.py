"""The record's duties on the client page: the end of treatment (retention), an erasure request,
and opening a restricted record with a reason."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from practice import formats
from practice.clients import service as clients
from practice.clients.models import Client
from practice.confirm import ask_first
from practice.extensions import db
from practice.forms import Form, MaxLength, strip
from practice.i18n import local_today
from practice.inputs import EARLIEST_VISIT
from practice.records import erasure, retention

bp = Blueprint("record_duties", __name__, url_prefix="/clients/<id:client_id>")


def _user():
    return current_user._get_current_object()


class ErasureForm(Form):
    """An erasure request as the client made it, and which contact details go."""

    received_on = DateField(_l("Request received on"), validators=[DataRequired()])
    reason = TextAreaField(_l("What the client asked for"), filters=[strip],
                           validators=[Optional(), MaxLength(1000)])
    delete_email = BooleanField(_l("Delete the e-mail address (not needed for the record)"))
    delete_phone = BooleanField(_l("Delete the phone number (not needed for the record)"))

    def validate_received_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The request cannot come from the future."))


class OpeningForm(Form):
    """Why an admin opens a restricted record."""

    reason = TextAreaField(_l("Reason for opening"), filters=[strip], validators=[
        DataRequired(), Length(min=erasure.REASON_MIN, max=erasure.REASON_MAX,
                               message=_l("Please give the reason in %(min)d to %(max)d "
                                          "characters."))])


class TreatmentEndForm(Form):
    """The end of treatment set by hand, with the reason (or cleared)."""

    ended_on = DateField(_l("End of treatment"), validators=[Optional()])
    # No Optional(): it would end the checks before the one below.
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[MaxLength(500)])

    def validate_ended_on(self, field):
        # Ten years are added to it: a date far off would leave the calendar (year 10000).
        if field.data and not EARLIEST_VISIT <= field.data <= local_today():
            raise ValidationError(_l("Please give a day between %(first)s and today.",
                                     first=formats.day(EARLIEST_VISIT)))

    def validate_reason(self, field):
        if self.ended_on.data and not field.data:
            raise ValidationError(_l("Please say why the end of treatment differs."))


@bp.route("/erasure", methods=["GET", "POST"])
def erasure_request(client_id: int):
    """Record a client's erasure request and carry it out (after confirmation)."""
    client = clients.get_for(_user(), client_id, action=None)
    form = ErasureForm()
    if request.method == "GET":
        form.received_on.data = local_today()
    back = url_for("clients.show", client_id=client.id)
    if form.validate_on_submit():
        kept = retention.of(client)
        asking = ask_first(
            title=_("Carry out the erasure request of %(name)s?", name=client.full_name),
            confirm=_("Carry out the erasure request"), cancel_url=back, consequences=[
                _("The diary link is deleted: the client's phone opens nothing any more."),
                _("Contact details ticked as not needed are deleted."),
                _("The record itself must be kept until %(date)s (§ 630f BGB). Until then it "
                  "is restricted: hidden from lists and search, read-only, and opened only by "
                  "an admin who gives a reason.", date=formats.day(kept.until) if kept.until
                  else _("10 years after the end of treatment")),
                _("On that date it is deleted completely.")])
        if asking:
            return asking
        delete = {field for field in erasure.CONTACT_FIELDS
                  if getattr(form, f"delete_{field}").data}
        done = erasure.request_erasure(client, received_on=form.received_on.data,
                                       reason=form.reason.data or "", delete_contact=delete,
                                       actor=_user())
        db.session.commit()
        if done is None:
            flash(_("Demo client deleted completely."), "success")
            return redirect(url_for("clients.index"))
        flash(_("Erasure request carried out; the record is restricted."), "success")
        if not _user().is_admin:  # the record is hidden from its practitioner now
            return redirect(url_for("clients.index"))
        return redirect(url_for("record_duties.open_restricted", client_id=client.id))
    return render_template("records/erasure.html", client=client, form=form)


@bp.route("/restricted", methods=["GET", "POST"])
def open_restricted(client_id: int):
    """The reason an admin gives before a restricted record opens (for half an hour)."""
    user = _user()
    client = db.session.scalar(clients.visible_to(user).where(Client.id == client_id))
    if client is None or (client.restricted_at is not None and not user.is_admin):
        abort(404)
    if client.restricted_at is None:  # nothing to open: the record itself
        return redirect(url_for("clients.show", client_id=client.id))
    form = OpeningForm()
    if form.validate_on_submit():
        erasure.open_restricted(client, form.reason.data, actor=user)
        db.session.commit()
        return redirect(url_for("clients.show", client_id=client.id))
    return render_template("records/restricted.html", client=client, form=form,
                           requests=erasure.requests_of(client), kept=retention.of(client))


@bp.route("/treatment-end", methods=["POST"])
def treatment_end(client_id: int):
    """Set (or clear) the end of treatment that the retention date counts from."""
    client = clients.get_for(_user(), client_id, action=None)
    form = TreatmentEndForm()
    if form.validate_on_submit():
        retention.set_end(client, form.ended_on.data, form.reason.data or "", actor=_user())
        db.session.commit()
        flash(_("End of treatment saved."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("clients.show", client_id=client.id) + "#record-title")


def handle_record_restricted(error: erasure.RecordRestricted):
    """A restricted record asked for by an admin: the reason first."""
    db.session.rollback()
    return redirect(url_for("record_duties.open_restricted", client_id=error.client_id))
