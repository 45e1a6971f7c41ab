"""The app as ``practice serve`` runs it (same gunicorn recipe), plus two bare routes the HTTP
benchmark compares every page with, measured in the same run:

- ``GET /_bench/read``: reads 25 rows by primary key and renders them with Jinja;
- ``POST /_bench/insert``: inserts one row (an audit event) and commits.
- ``GET/POST /_bench/form``: a page request's fixed part around the same insert, for reading
  the diary post against: the session cookie, the CSRF check, a one-field form, the redirect.

Usage (by bench/http_pages.py): python bench/serve_bench.py PORT WORKERS
"""

from __future__ import annotations

import sys

import sqlalchemy as sa

from practice import create_app
from practice.audit.models import AuditEvent
from practice.clients.models import Client
from practice.core.serve import run_gunicorn, server_options
from practice.database import utcnow
from practice.extensions import csrf, db
from practice.forms import Form
from practice.security import public

BARE = """<!doctype html><title>bare</title><ul>
{% for c in rows %}<li>{{ c.id }} {{ c.first_name }} {{ c.last_name }}</li>{% endfor %}</ul>"""


def bench_app():
    """The production app with the two bare routes."""
    app = create_app()
    template = app.jinja_env.from_string(BARE)  # compiled once, as Flask does for files

    @public
    def bare_read():
        rows = db.session.scalars(sa.select(Client).order_by(Client.id).limit(25)).all()
        return template.render(rows=rows)

    @public
    def bare_insert():
        db.session.add(AuditEvent(at=utcnow(), actor_kind="system", action="bench.insert",
                                  object_type="bench", object_id=None))
        db.session.commit()
        return "ok"

    from flask import redirect, render_template_string
    from wtforms import IntegerField
    from wtforms.validators import InputRequired, NumberRange

    class PainForm(Form):
        pain = IntegerField(validators=[InputRequired(), NumberRange(0, 10)])

    @public
    def bare_form():
        form = PainForm()
        if form.validate_on_submit():
            db.session.add(AuditEvent(at=utcnow(), actor_kind="system", action="bench.form",
                                      object_type="bench", object_id=str(form.pain.data)))
            db.session.commit()
            return redirect("/_bench/form")
        return render_template_string('<form method="post">{{ form.csrf_token }}'
                                      '{{ form.pain }}</form>', form=form)

    app.add_url_rule("/_bench/read", "bench_read", bare_read)
    app.add_url_rule("/_bench/form", "bench_form", bare_form, methods=["GET", "POST"])
    app.add_url_rule("/_bench/insert", "bench_insert", csrf.exempt(bare_insert), methods=["POST"])
    return app


if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    run_gunicorn(bench_app, server_options(port=port, workers=workers))
