"""Reading the forms of a page as a browser would submit them, for tests that post every form."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """A form's action, method and the values a browser would send unchanged."""

    action: str
    method: str
    values: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every named control, sent or not

    def data(self, **changes) -> dict:
        """The values as a dict of lists (for the test client), with ``changes`` replacing the
        named fields' values."""
        result: dict[str, list[str]] = {}
        for name, value in self.values:
            if name not in changes:
                result.setdefault(name, []).append(value)
        for name, value in changes.items():
            result[name] = value if isinstance(value, list) else [value]
        return result


class _Parser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""
        self.submitted = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = Form(action=a.get("action") or self.page_url,
                             method=(a.get("method") or "get").lower())
            self.forms.append(self.form)
            self.submitted = False
            return
        if tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
            return
        if (self.form is not None and "disabled" in a and not self.submitted
                and (tag == "button" and (a.get("type") or "submit") == "submit"
                     or tag == "input" and (a.get("type") or "").lower() == "submit")):
            self.submitted = True  # a disabled default button: Enter sends no button at all
            return
        if self.form is None or "name" not in a or "disabled" in a:
            return
        name = a["name"]
        self.form.names.add(name)
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.form.values.append((name, a.get("value", "on")))
            elif kind == "submit":
                if not self.submitted:
                    self.form.values.append((name, a.get("value", "")))
                    self.submitted = True
            elif kind != "file":
                self.form.values.append((name, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            if not self.submitted:
                self.form.values.append((name, a.get("value", "")))
                self.submitted = True
        elif tag == "select":
            self.select, self.options = (name, "multiple" in a), []
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.values.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.form.values += [(name, value) for value in chosen]
            self.select = None


def forms_of(html: str, page_url: str) -> list[Form]:
    """Every form on the page."""
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms
