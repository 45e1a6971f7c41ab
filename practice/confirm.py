"""Asking before consequences: a POST that closes, switches off or withdraws something shows
what will follow and goes ahead only when confirmed. Works without JavaScript: the
confirmation page posts the same fields again, with ``confirmed=1``."""

from __future__ import annotations

from flask import render_template, request


def ask_first(*, title: str, consequences: list[str], confirm: str, cancel_url: str,
              danger: bool = True):
    """None when the request is confirmed; otherwise the confirmation page to answer with."""
    if request.form.get("confirmed") == "1":
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in ("csrf_token", "confirmed")]
    return render_template("confirm.html", title=title, consequences=consequences,
                           confirm=confirm, cancel_url=cancel_url, fields=fields,
                           action=request.full_path.rstrip("?"), danger=danger)
