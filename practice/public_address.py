"""The practice's public address: the one base for every link a client receives (diary links,
QR codes on the client page and in handouts, calendar files), never the address of the request
that happens to produce it.

Set in Settings, or with ``PRACTICE_PUBLIC_URL`` (the setting wins). Unset, links fall back to
the request's address, and the pages that hand out links say that phones elsewhere cannot open
them, and how to fix it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, url_for

UNSET, LOCAL, PLAIN_HTTP = "unset", "local", "http"


def configured() -> str:
    """The public address as configured ("" when unset), without a trailing slash."""
    from practice.settings.service import get_settings

    settings = get_settings()
    value = (settings.public_url if settings else "") or current_app.config.get("PUBLIC_URL") or ""
    return value.strip().rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """The full address of ``endpoint`` as a client's phone must open it."""
    base = configured()
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def _is_local_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in ("localhost", "") or host.endswith((".localhost", ".local", ".internal", ".lan",
                                                    ".home.arpa")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare machine name only resolves on the local network
    return address.is_loopback or address.is_private or address.is_link_local


def problem(base: str | None = None) -> str | None:
    """Why phones outside this computer (or network) may not open the links: "unset",
    "local" (a loopback or private address) or "http" (no encryption); None when fine."""
    base = configured() if base is None else base
    if not base:
        return UNSET
    parts = urlsplit(base)
    if _is_local_host(parts.hostname or ""):
        return LOCAL
    if parts.scheme != "https":
        return PLAIN_HTTP
    return None


def check(value: str) -> str | None:
    """A message code when ``value`` cannot be a public address: "format" unless it is an
    http(s) address with a host and no query or fragment."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username or parts.password:
        return "format"
    try:
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return "format"
    return None
