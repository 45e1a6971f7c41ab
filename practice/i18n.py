"""Language and time zone selection for Flask-Babel."""

from __future__ import annotations

import time
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, g, request
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGE_COOKIE = "practice_lang"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
# Dates and numbers in English follow British conventions (22 Nov 2026, 19:30), as in Europe.
FORMAT_LOCALES = {"de": "de_DE", "en": "en_GB"}


def select_locale() -> str:
    """The signed-in practitioner's choice, else the remembered cookie, else the browser's
    (as a full locale, so that formats are European)."""
    language = select_language()
    return FORMAT_LOCALES.get(language, language)


def select_language() -> str:
    """The interface language code ("de" or "en"). Diary pages speak the client's language."""
    languages = current_app.config["LANGUAGES"]
    if g.get("diary_language") in languages:
        return g.diary_language
    user_language = getattr(current_user, "language", None) if current_user else None
    if user_language in languages:
        return user_language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


# The zone is read from the settings at most this often per process: it changes perhaps once
# in a practice's life, and reading it was a tenth of a diary post. A change made in this
# process is seen at once (forget_timezone), one made in another worker within a minute.
ZONE_SECONDS = 60.0


def select_timezone() -> str:
    """The practice's time zone, read once per request (and at most once a minute)."""
    if "practice_timezone" not in g:
        held = current_app.extensions.get("practice_timezone")
        now = time.monotonic()
        if held is not None and now - held[1] < ZONE_SECONDS:
            g.practice_timezone = held[0]
            return held[0]
        from practice.settings.service import get_settings

        settings = get_settings()
        g.practice_timezone = (
            settings.timezone if settings else current_app.config["BABEL_DEFAULT_TIMEZONE"]
        )
        current_app.extensions["practice_timezone"] = (g.practice_timezone, now)
    return g.practice_timezone


def forget_timezone() -> None:
    """The settings' zone changed: read it again on the next request of this process."""
    current_app.extensions.pop("practice_timezone", None)
    g.pop("practice_timezone", None)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def practice_zone() -> ZoneInfo:
    """The practice's time zone."""
    return _zone(select_timezone())


def local_today() -> date:
    """Today's date in the practice's time zone (a diary day, an age, "today's visits")."""
    return datetime.now(practice_zone()).date()


def current_translations():
    """The current locale's catalogue, looked up once per request and locale: Flask-Babel's own
    lookup costs about 20 µs, and a page asks about a hundred times. A locale forced for a
    handout in the client's language is another locale object, so it finds its own catalogue."""
    from flask_babel import get_locale, get_translations

    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "practice_catalogue", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.practice_catalogue = (get_locale(), translations)
    return translations


def install_template_gettext(app) -> None:
    """Templates translate through :func:`current_translations` (same texts, same escaping)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["gettext"] = _template_gettext


@pass_context
def _template_gettext(context, string: str, **variables):
    """``_()`` in templates: Jinja's newstyle gettext (the text as a format string, marked safe
    when escaping, its values escaped), with a text without values kept per catalogue once
    made. A page asks for a hundred of them; each went through four calls and two Markup
    objects (a tenth of the client page)."""
    catalogue = current_translations()
    escaping = context.eval_ctx.autoescape
    if not variables:
        made = catalogue.__dict__.setdefault("_practice_texts", {})
        found = made.get((string, escaping))
        if found is None:
            text = catalogue.ugettext(string)
            found = made[(string, escaping)] = (Markup(text) if escaping else text) % {}
        return found
    text = catalogue.ugettext(string)
    return (Markup(text) if escaping else text) % variables


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str):
    from babel import support
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WtformsTexts:
    """WTForms' own messages ("Not a valid choice.") in the request's locale. Flask-WTF reads
    its catalogue from the disk once per request (about a millisecond, more than the form);
    this reads each locale's once per process and looks the locale up when a text is asked
    for, so a locale chosen later in the request (the diary's client) still counts."""

    def ugettext(self, string):
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular, plural, n):
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_TEXTS = _WtformsTexts()


def share_wtforms_texts() -> None:
    """before_request: Flask-WTF finds the cached catalogue where it looks for its own."""
    request.wtforms_translations = WTFORMS_TEXTS
