"""practice: a self-hosted app for a holistic back-pain practice."""

from __future__ import annotations

import logging

from flask import Flask
from jinja2 import BytecodeCache

from practice.config import load_config, resolve_instance_path, resource_dir


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory. ``test_config`` overrides every other setting."""
    instance_path = resolve_instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    instance_path.mkdir(parents=True, exist_ok=True)
    load_config(app, test_config)
    from practice.inputs import IdConverter, PracticeRequest

    app.request_class = PracticeRequest

    app.url_map.converters["id"] = IdConverter  # before any route is registered
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_commands(app)
    if app.config.get("PROXY_FIX_X_FOR"):
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto, so that login throttling
        # sees the real client address and redirects keep https.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from practice.logs import install as install_log_filters

    install_log_filters(app)
    if not app.debug and not app.testing:
        logging.getLogger("practice").setLevel(logging.INFO)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects; access rules go in before CSRF so anonymous posts redirect."""
    from practice.database import (configure_sqlite, install_read_guard, mark_request,
                                   write_after_read)
    from practice.extensions import babel, csrf, db, login_manager, migrate
    from practice.i18n import select_locale, select_timezone, share_wtforms_texts
    from practice.security import register_security

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                         app.config["SQLITE_SYNCHRONOUS"])
    install_read_guard(db.session)
    app.before_request(mark_request)
    app.before_request(share_wtforms_texts)
    app.after_request(write_after_read)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")),
                     render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    register_security(app)
    csrf.init_app(app)
    from practice.jobs.queue import init_app as init_jobs

    init_jobs(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    from practice.accounts.second_factor_views import bp as second_factor_bp
    from practice.accounts.team_views import bp as team_bp
    from practice.accounts.views import bp as accounts_bp
    from practice.audit.views import bp as access_log_bp
    from practice.clients.views import bp as clients_bp
    from practice.core.views import bp as core_bp
    from practice.core.views import register_error_handlers
    from practice.intake.views import bp as intake_bp
    from practice.library.views import bp as library_bp
    from practice.measures.views import bp as measures_bp
    from practice.visits.views import bp as visits_bp
    from practice.diary.client_views import bp as diary_bp
    from practice.diary.views import bp as client_diary_bp
    from practice.handouts.day_views import bp as handout_day_bp
    from practice.handouts.views import bp as handouts_bp
    from practice.jobs.views import bp as jobs_bp
    from practice.records.erasure import RecordRestricted
    from practice.records.erasure_views import bp as record_duties_bp
    from practice.records.erasure_views import handle_record_restricted
    from practice.records.register import bp as register_bp
    from practice.records.views import bp as records_bp
    from practice.settings.views import bp as settings_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(second_factor_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(clients_bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(measures_bp)
    app.register_blueprint(diary_bp)
    app.register_blueprint(client_diary_bp)
    app.register_blueprint(handouts_bp)
    app.register_blueprint(handout_day_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(access_log_bp)
    app.register_blueprint(records_bp)
    app.register_blueprint(record_duties_bp)
    app.register_blueprint(register_bp)
    app.register_error_handler(RecordRestricted, handle_record_restricted)
    register_error_handlers(app)


class _ProcessBytecodeCache(BytecodeCache):
    """Jinja's compiled templates in memory, for all apps of the process."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATE_CODE = _ProcessBytecodeCache()


def register_template_helpers(app: Flask) -> None:
    """Values every template may use."""
    from flask_babel import get_locale

    from practice.i18n import LANGUAGE_NAMES, install_template_gettext
    from practice.library.markdown import render as render_markdown
    from practice.settings.service import practice_name

    from datetime import date

    from practice.library.labels import KIND_LABELS

    app.jinja_env.filters["todate"] = date.fromisoformat
    from practice import formats
    from practice.forms import error_summary

    formats.install(app)
    app.jinja_env.globals["error_summary"] = error_summary  # for macros imported without context
    # Compiled templates are shared by every app of this process (tests and benchmarks make
    # hundreds; the server one): the cache is keyed by the template's source, never stale.
    app.jinja_env.bytecode_cache = SHARED_TEMPLATE_CODE
    install_template_gettext(app)

    @app.context_processor
    def inject_globals():
        return {
            "practice_name": practice_name,
            "current_language": get_locale().language,
            "language_names": LANGUAGE_NAMES,
            "markdown": render_markdown,
            "kind_label": lambda kind: str(KIND_LABELS.get(kind, kind)),
        }


def register_commands(app: Flask) -> None:
    """Command-line groups of the features (``practice users ...``)."""
    from practice.accounts.cli import users
    from practice.core.cli import backup, backup_key, restore
    from practice.core.serve import serve
    from practice.diary.attention import attention_cli
    from practice.diary.demo import demo
    from practice.handouts.cli import handout
    from practice.jobs.cli import worker
    from practice.records.cli import retention_cli
    from practice.library.cli import content

    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(handout)
    app.cli.add_command(content)
    app.cli.add_command(backup)
    app.cli.add_command(retention_cli)
    app.cli.add_command(restore)
    app.cli.add_command(backup_key)
    app.cli.add_command(serve)
    app.cli.add_command(attention_cli)
    app.cli.add_command(worker)
