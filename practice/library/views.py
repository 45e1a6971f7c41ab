"""The content library: browse, preview, edit (as new versions), retire, import articles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from practice.extensions import db
from practice.inputs import id_arg
from practice.library import illustrations, importer, imports, seed, service
from practice.library.extract import UnreadableArticle
from practice.library.flags import FLAG_HINTS, FLAG_LABELS
from practice.library.forms import ContentItemForm, ImportForm
from practice.library.labels import FIELD_LABELS, KIND_LABELS, TAG_LABELS
from practice.library.models import KINDS, ContentSource

bp = Blueprint("library", __name__, url_prefix="/library")


def _user():
    return current_user._get_current_object()


def _language(default: str | None = None) -> str:
    language = request.args.get("lang") or default or get_locale().language
    return language if language in service.LANGUAGES else "de"


@bp.context_processor
def _labels():
    return {"kind_labels": KIND_LABELS, "tag_labels": TAG_LABELS, "field_labels": FIELD_LABELS,
            "flag_labels": FLAG_LABELS, "flag_hints": FLAG_HINTS}


@bp.route("/")
def index():
    """All items by kind, searchable in both languages."""
    query = request.args.get("q", "")[:100]
    kind = request.args.get("kind", "")
    status = request.args.get("status", "active")
    if status not in ("active", "retired", "all"):
        status = "active"
    source_id = request.args.get("source", type=id_arg)
    source = db.session.get(ContentSource, source_id) if source_id else None
    items = service.search(query=query, kind=kind, status=status, source=source)
    groups = {k: [i for i in items if i.kind == k] for k in KINDS}
    return render_template("library/index.html", groups=groups, query=query, kind=kind,
                           status=status, total=len(items), language=_language(), source=source,
                           counts=service.counts_by_kind())


@bp.route("/load", methods=["POST"])
def load():
    """Add the starter library shipped with the app (items already present stay as they are)."""
    added = seed.load_shipped(actor=_user())
    seed.add_shipped_drawings(actor=_user())
    db.session.commit()
    flash(_("%(count)d items added from the starter library.", count=added), "success")
    return redirect(url_for("library.index"))


@bp.route("/<id:item_id>")
def show(item_id: int):
    """An item as it will print, in either language, with its versions."""
    item = service.get(item_id)
    number = request.args.get("version", type=id_arg)
    version = next((v for v in item.versions if v.number == number), item.current)
    return render_template("library/show.html", item=item, version=version,
                           language=_language())


def _illustration(form: ContentItemForm):
    """The picture the form asks for: an upload (checked), none, or :data:`service.KEEP`.
    A refused upload puts its message at the field and returns None with ``form`` invalid."""
    upload = form.illustration_file.data
    if isinstance(upload, FileStorage) and upload.filename:
        try:
            return illustrations.from_upload(upload.read(illustrations.MAX_BYTES + 1))
        except illustrations.IllustrationError as error:
            form.illustration_file.errors = [illustrations.message(str(error))]
            return None
    return None if form.remove_illustration.data else service.KEEP


@bp.route("/illustrations/<id:illustration_id>")
def illustration(illustration_id: int):
    """A stored picture, served so that nothing in it can run."""
    return illustrations.response(illustrations.get(illustration_id))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Add an item of the practice's own."""
    form = ContentItemForm()
    valid = form.validate_on_submit()
    picture = _illustration(form) if valid else None
    if valid and not form.illustration_file.errors:
        texts = form.texts()
        item = service.create_item(key=service.unique_key(texts["en"]["title"] or
                                                          texts["de"]["title"]),
                                   kind=form.kind.data, texts=texts, tags=form.tags.data,
                                   point=form.point(), actor=_user(), note=form.note.data or "",
                                   dose=form.dose.data,
                                   illustration=None if picture == service.KEEP else picture)
        db.session.commit()
        flash(_("Item added to the library."), "success")
        return redirect(url_for("library.show", item_id=item.id))
    return render_template("library/edit.html", form=form, item=None)


@bp.route("/<id:item_id>/edit", methods=["GET", "POST"])
def edit(item_id: int):
    """Change an item; the texts are saved as a new version and the old one stays."""
    item = service.get(item_id)
    form = ContentItemForm()
    if request.method == "GET":
        form.fill(item)
    valid = form.validate_on_submit()
    picture = _illustration(form) if valid else None
    if valid and not form.illustration_file.errors:
        version = service.update_item(item, kind=form.kind.data, tags=form.tags.data,
                                      point=form.point(), texts=form.texts(), actor=_user(),
                                      note=form.note.data or "", dose=form.dose.data,
                                      illustration=picture)
        db.session.commit()
        flash(_("Saved as version %(n)d. Earlier versions stay available.", n=version.number)
              if version else _("Saved. The texts and the picture were unchanged, so no new "
                                "version."), "success")
        return redirect(url_for("library.show", item_id=item.id))
    return render_template("library/edit.html", form=form, item=item)


@bp.route("/<id:item_id>/active", methods=["POST"])
def set_active(item_id: int):
    """Retire an item or offer it again."""
    item = service.get(item_id)
    active = request.form.get("active") == "1"
    service.set_active(item, active, actor=_user())
    db.session.commit()
    flash(_("Item is offered again.") if active else _("Item retired; it is no longer offered."),
          "success")
    return redirect(url_for("library.show", item_id=item.id))


@bp.route("/import", methods=["GET", "POST"])
def import_article():
    """Paste or upload an article; it is split into proposals to review."""
    form = ImportForm()
    if form.validate_on_submit():
        field = form.upload if form.upload.data else form.text
        try:
            text = form.article()
            article = importer.read(text, form.language.data) if text.strip() else None
        except UnreadableArticle as problem:
            field.errors = [str(problem.message)]
        else:
            if article is None:
                form.text.errors = [_("Please paste an article or choose a file.")]
            elif not article.proposals:
                field.errors = [_("No article text was found in this page. Please check that "
                                  "it is the saved article, or paste its text.")]
            else:
                return _review_page(imports.review_from(article))
    return render_template("library/import.html", form=form)


def _review_page(review: imports.Review):
    source = imports.existing_source(review.source["source_title"])
    return render_template("library/review.html", review=review, existing=source,
                           existing_count=imports.item_count(source) if source else 0)


@bp.route("/import/save", methods=["POST"])
def import_save():
    """Save the proposals the practitioner kept, with their edits and translations."""
    review = imports.read_review(request.form)
    if review.errors:
        return _review_page(review)
    result = imports.save(review, actor=_user())
    db.session.commit()
    if result.existing_source:
        flash(_("This article was in the library already: %(added)d items added, "
                "%(versions)d saved as a new version, %(unchanged)d unchanged.",
                added=result.added, versions=result.new_versions, unchanged=result.unchanged),
              "success")
    else:
        flash(_("%(count)d items saved. Items still missing a translation are kept as retired "
                "until they are translated.", count=result.added), "success")
    if result.source is not None:
        return redirect(url_for("library.index", status="all", source=result.source.id))
    return redirect(url_for("library.index", status="all"))
