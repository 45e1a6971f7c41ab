"""Forms for editing a library item and for importing an article."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from practice.forms import Form, MaxLength, strip
from practice.library.extract import decode
from practice.intake.forms import MultiCheckboxField
from practice.library.labels import FIELD_LABELS, KIND_LABELS, TAG_LABELS
from practice.library.models import TEXT_FIELDS
from practice.library.service import LANGUAGES

LONG_FIELDS = {"body": 20000, "steps": 5000, "summary": 1000}


class ContentItemForm(Form):
    """Kind, tags, acupressure codes, and every text in German and English."""

    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    dose = SelectField(_l("Dose (how long, how often, repetitions)"), choices=[
        SelectChoice("practice", _l("the practice's default (printed as such)")),
        SelectChoice("article", _l("as the source article gives it")),
        SelectChoice("none", _l("no dose"))], default="practice")
    tags = MultiCheckboxField(_l("Fits these patterns"),
                              choices=[SelectChoice(k, v) for k, v in TAG_LABELS.items()])
    code_who = StringField(_l("Point code (international)"), filters=[strip],
                           validators=[Optional(), MaxLength(20)])
    code_de = StringField(_l("Point code (German)"), filters=[strip],
                          validators=[Optional(), MaxLength(20)])
    pinyin = StringField(_l("Pinyin"), filters=[strip], validators=[Optional(), MaxLength(60)])
    note = StringField(_l("What was changed (optional)"), filters=[strip],
                       validators=[Optional(), MaxLength(300)])
    # Checked in the view like the logo (practice.images), so every refusal has its message.
    illustration_file = FileField(
        _l("Picture (PNG, JPEG or SVG, at most 512 kB)"),
        description=_l("Shown with the item in the library, in the client's diary and on the "
                       "handout. An SVG line drawing prints sharpest."),
        render_kw={"accept": "image/png,image/jpeg,image/svg+xml",
                   "data-max-bytes": 512 * 1024,
                   "data-too-large": _l("The picture may be at most 512 kB.")})
    remove_illustration = BooleanField(_l("Show no picture"))

    def validate(self, extra_validators=None):
        """Field checks, then: at least one language needs a title."""
        valid = super().validate(extra_validators)
        if not self.de_title.data and not self.en_title.data:
            self.de_title.errors = [*self.de_title.errors,
                                    _l("Give the item a title in at least one language.")]
            valid = False
        return valid

    def texts(self) -> dict:
        """The texts of both languages, as the service stores them."""
        return {language: {name: getattr(self, f"{language}_{name}").data or ""
                           for name in TEXT_FIELDS} for language in LANGUAGES}

    def point(self) -> dict:
        """The acupressure codes."""
        return {"code_who": self.code_who.data or "", "code_de": self.code_de.data or "",
                "pinyin": self.pinyin.data or ""}

    def fill(self, item) -> None:
        """Put an item's newest texts into the form (for editing)."""
        self.kind.data = item.kind
        self.dose.data = item.dose
        self.tags.data = list(item.tags)
        self.code_who.data, self.code_de.data = item.point_code_who, item.point_code_de
        self.pinyin.data = item.pinyin
        for language in LANGUAGES:
            texts = item.current.text(language)
            for name in TEXT_FIELDS:
                value = texts[name]
                getattr(self, f"{language}_{name}").data = (
                    "\n".join(value) if name == "steps" else value)


for _language in LANGUAGES:
    for _name in TEXT_FIELDS:
        _limit = LONG_FIELDS.get(_name, 200 if _name == "title" else 2000)
        _field = TextAreaField if _name in ("body", "steps", "summary", "how", "cautions",
                                            "location", "effect", "application") else StringField
        setattr(ContentItemForm, f"{_language}_{_name}",
                _field(FIELD_LABELS[_name], filters=[strip],
                       validators=[Optional(), MaxLength(_limit)]))


class ImportForm(Form):
    """An article pasted or uploaded, and its language."""

    text = TextAreaField(_l("Paste the article"), validators=[Optional(), MaxLength(300_000)],
                         render_kw={"rows": 10})
    upload = FileField(_l("or upload a file (text, Markdown or HTML)"), validators=[
        FileAllowed(["txt", "md", "markdown", "html", "htm"],
                    _l("Please upload a .txt, .md or .html file.")),
        FileSize(max_size=1024 * 1024, message=_l("The file may be at most 1 MB."))],
        render_kw={"data-max-bytes": 1024 * 1024,
                   "data-too-large": _l("The file may be at most 1 MB.")})
    language = SelectField(_l("Language of the article"),
                           choices=[SelectChoice("auto", _l("recognise automatically")),
                                    SelectChoice("de", "Deutsch"), SelectChoice("en", "English")])

    def article(self) -> str:
        """The article's text, from the upload if there is one. Raises
        :class:`~practice.library.extract.UnreadableArticle` for binary or empty files."""
        if self.upload.data:
            return decode(self.upload.data.read())
        return self.text.data or ""
