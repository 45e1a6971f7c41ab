"""Pictures for library items: a drawing for every starter exercise and acupressure point, the
practice's own uploads (checked as the logo is), versions, and where they are shown (library,
the client's plan, the handout PDF as vectors)."""

from __future__ import annotations

import io
import re
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import csrf_token, submit
from diary_helpers import create_link
from html_forms import forms_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "practice" / "library" / "data"
DRAWINGS = ROOT / "practice" / "static" / "illustrations"
SVG_NS = "{http://www.w3.org/2000/svg}"
EN = {"Accept-Language": "en"}
ACCENT_PDF = "0.788235 0.388235 0.168627"  # the drawings' accent #c9632b as a PDF colour


def text(response) -> str:
    return response.get_data(as_text=True)


def starter_items() -> list[dict]:
    items = []
    for path in sorted(DATA.glob("*.toml")):
        items += tomllib.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def pictured(item: dict) -> bool:
    """An exercise (it has steps) or an acupressure point: it needs a picture."""
    return bool(item["en"].get("steps")) or item["kind"] == "acupressure"


def png_bytes(size=(40, 20), kind="PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 40)).save(buffer, kind)
    return buffer.getvalue()


PLAIN_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><title>Mine</title>'
             b'<path d="M2 10H38" stroke="#1f2a30" stroke-width="2"/></svg>')


# --- The drawings shipped with the app -----------------------------------------------------

def test_every_starter_exercise_and_point_has_its_own_drawing():
    from practice import images

    needed = [item for item in starter_items() if pictured(item)]
    assert len(needed) >= 16  # 13 exercises and the three points
    for item in needed:
        name = item.get("illustration")
        assert name, item["key"]
        data = (DRAWINGS / name).read_bytes()
        assert len(data) < 16_000, name  # small files
        assert images.check(data, 512 * 1024) == "image/svg+xml"  # passes the upload check
        root = ElementTree.fromstring(data)
        assert root.tag == SVG_NS + "svg" and root.get("viewBox"), name
        assert root.find(SVG_NS + "title").text.strip(), name
        assert root.find(SVG_NS + "desc").text.strip(), name
        assert root.get("role") == "img"
        assert root.find(f".//{SVG_NS}text") is None, name  # no words inside the picture
    # The three points each have their own body map; the exercises their own drawings.
    points = {i["key"]: i["illustration"] for i in needed if i["kind"] == "acupressure"}
    assert len(set(points.values())) == 3


def test_the_drawings_keep_one_style():
    colours = set()
    for path in DRAWINGS.glob("*.svg"):
        data = path.read_text(encoding="utf-8")
        colours |= set(re.findall(r"#[0-9a-fA-F]{6}", data))
        widths = set(re.findall(r'stroke-width="([\d.]+)"', data))
        assert {"2"} <= widths, path.name  # 2-unit outlines throughout
    # Ink, the body's two fills, the quiet grey of floor and props, and one accent (with its
    # faint tint for a pressed spot).
    assert colours <= {"#1f2a30", "#ffffff", "#dde4e4", "#aab4b8", "#c9632b", "#f6e3d8"}


def test_the_starter_library_loads_with_its_drawings(app, practice_set_up):
    from practice.extensions import db
    from practice.library.models import ContentItem

    wanted = {i["key"]: i["illustration"] for i in starter_items() if pictured(i)}
    with app.app_context():
        items = {i.key: i for i in db.session.scalars(sa.select(ContentItem))}
        for key, name in wanted.items():
            item = items[key]
            version = item.current
            assert version.illustration is not None, key
            assert version.illustration.name == name
            assert version.illustration.data == (DRAWINGS / name).read_bytes()
            assert item.illustration_id == version.illustration_id


def test_libraries_loaded_before_the_drawings_get_them_once(app, practice_set_up):
    from practice.extensions import db
    from practice.library import seed, service
    from practice.library.models import ContentItem

    with app.app_context():
        item = db.session.scalar(sa.select(ContentItem).where(ContentItem.key == "exercise-cat-cow"))
        # As a library loaded before pictures existed: a single version without one.
        for version in item.versions:
            version.illustration_id = None
        item.illustration_id = None
        db.session.commit()
        count = item.version_count
        assert seed.add_shipped_drawings() == 1
        db.session.commit()
        assert item.version_count == count + 1
        assert item.current.illustration.name == "cat-cow.svg"
        assert item.current.note == "drawing shipped with the app"
        assert seed.add_shipped_drawings() == 0
        # Removed on purpose by the practice: it stays removed.
        service.add_version(item, item.current.texts, illustration=None)
        db.session.commit()
        assert seed.add_shipped_drawings() == 0


def test_a_redrawn_shipped_drawing_replaces_the_earlier_one_once(app, practice_set_up):
    """A library still showing an earlier drawing of a shipped name gets the redrawn one as a
    new version; the practice's own picture is never replaced."""
    from practice.extensions import db
    from practice.library import illustrations, seed, service
    from practice.library.models import ContentItem

    earlier = (DRAWINGS / "cat-cow.svg").read_bytes().replace(b"</svg>", b"<!-- v1 --></svg>")
    with app.app_context():
        items = {i.key: i for i in db.session.scalars(sa.select(ContentItem))}
        cat_cow, bridge = items["exercise-cat-cow"], items["exercise-glute-bridge"]
        service.add_version(cat_cow, cat_cow.current.texts, illustration=illustrations.store(
            earlier, "image/svg+xml", name="cat-cow.svg"))
        own = illustrations.store(earlier.replace(b"v1", b"ours"), "image/svg+xml")
        service.add_version(bridge, bridge.current.texts, illustration=own)
        db.session.commit()
        count = cat_cow.version_count
        assert seed.add_shipped_drawings() == 1
        db.session.commit()
        assert cat_cow.version_count == count + 1
        assert cat_cow.current.illustration.data == (DRAWINGS / "cat-cow.svg").read_bytes()
        assert cat_cow.current.note == "drawing shipped with the app, redrawn"
        assert cat_cow.versions[-2].illustration.data == earlier  # the earlier version keeps it
        assert bridge.current.illustration_id == own.id
        assert seed.add_shipped_drawings() == 0


# --- The practice's own pictures -----------------------------------------------------------

def item_by_key(app, key):
    from practice.extensions import db
    from practice.library.models import ContentItem

    with app.app_context():
        item = db.session.scalar(sa.select(ContentItem).where(ContentItem.key == key))
        return item.id, item.version_count, item.current.illustration_id


def post_edit(admin_client, item_id, upload=None, headers=EN, **changes):
    """Post the item's edit page as a browser would, with ``upload`` as (bytes, file name)."""
    url = f"/library/{item_id}/edit"
    page = text(admin_client.get(url, headers=headers))
    form = next(f for f in forms_of(page, url) if "illustration_file" in f.names)
    data = form.data(**changes)
    if upload is not None:
        data["illustration_file"] = (io.BytesIO(upload[0]), upload[1])
    return admin_client.post(url, data=data, headers=headers, content_type="multipart/form-data")


def test_a_new_picture_is_a_new_version_and_the_old_one_keeps_its_own(app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.extensions import db
    from practice.library.models import ContentItem

    item_id, count, shipped = item_by_key(app, "exercise-glute-bridge")
    png = png_bytes()
    response = post_edit(admin_client, item_id, (png, "bridge.png"))
    assert response.status_code == 302, text(response)[:2000]
    _id, new_count, current = item_by_key(app, "exercise-glute-bridge")
    assert new_count == count + 1 and current != shipped
    with app.app_context():
        item = db.session.get(ContentItem, item_id)
        assert item.current.illustration.data == png
        assert item.current.illustration.media_type == "image/png"
        assert item.versions[-2].illustration_id == shipped  # the earlier version keeps its own
        assert item.illustration_id == current
        audit = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "content_item", AuditEvent.object_id == str(item_id)))
        assert "content.edit" in list(audit)
    # The same again changes nothing; so does saving without a file.
    assert post_edit(admin_client, item_id, (png, "again.png")).status_code == 302
    assert post_edit(admin_client, item_id).status_code == 302
    assert item_by_key(app, "exercise-glute-bridge")[1] == count + 1
    # The library shows the new one; an earlier version shows its own.
    page = text(admin_client.get(f"/library/{item_id}", headers=EN))
    assert f'src="/library/illustrations/{current}"' in page
    old = text(admin_client.get(f"/library/{item_id}?version={count}", headers=EN))
    assert f'src="/library/illustrations/{shipped}"' in old
    # Removing it: a new version without a picture.
    assert post_edit(admin_client, item_id, remove_illustration="y").status_code == 302
    _id, last_count, last = item_by_key(app, "exercise-glute-bridge")
    assert last_count == count + 2 and last is None


@pytest.mark.parametrize("upload", [
    (png_bytes((30, 30), "JPEG"), "photo.jpg", "image/jpeg"),
    (PLAIN_SVG, "drawing.svg", "image/svg+xml"),
])
def test_jpeg_and_plain_svg_are_taken(app, admin_client, upload):
    from practice.extensions import db
    from practice.library.models import Illustration

    data, name, media_type = upload
    item_id, count, _shipped = item_by_key(app, "exercise-side-plank")
    assert post_edit(admin_client, item_id, (data, name)).status_code == 302
    _id, new_count, current = item_by_key(app, "exercise-side-plank")
    assert new_count == count + 1
    with app.app_context():
        assert db.session.get(Illustration, current).media_type == media_type
    served = admin_client.get(f"/library/illustrations/{current}")
    assert served.data == data and served.mimetype == media_type
    assert "default-src 'none'" in served.headers["Content-Security-Policy"]


SCRIPTED = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
            b'<script>alert(1)</script><rect width="10" height="10"/></svg>')
HANDLER = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1"/></svg>'
OUTSIDE = (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://169.254.169.254/x"/>'
           b'</svg>')


@pytest.mark.parametrize("upload, english, german", [
    ((SCRIPTED, "x.svg"), "scripts or outside references", "Skripte oder Verweise nach außen"),
    ((HANDLER, "x.svg"), "scripts or outside references", "Skripte oder Verweise nach außen"),
    ((OUTSIDE, "x.svg"), "scripts or outside references", "Skripte oder Verweise nach außen"),
    ((b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "big.png"), "at most 512 kB", "höchstens 512 kB"),
    ((b"GIF89a" + b"\x00" * 50, "x.gif"), "PNG, JPEG or SVG", "PNG, JPEG oder SVG"),
    ((png_bytes()[:40], "cut.png"), "PNG, JPEG or SVG", "PNG, JPEG oder SVG"),
    ((b"<svg><unclosed", "broken.svg"), "PNG, JPEG or SVG", "PNG, JPEG oder SVG"),
    ((b"", "empty.png"), "The file is empty", "Die Datei ist leer"),
])
def test_hostile_big_or_broken_uploads_are_refused_at_the_field(app, admin_client, upload,
                                                                 english, german):
    item_id, count, shipped = item_by_key(app, "exercise-cat-cow")
    for language, words in (("en", english), ("de", german)):
        submit(admin_client, "/language", {"language": language}, page="/")
        response = post_edit(admin_client, item_id, upload, headers={})
        assert response.status_code == 200
        page = text(response)
        assert words in page
        assert 'id="illustration_file-errors"' in page
        assert 'value="Cat-cow"' in page or "Katze-Kuh" in page  # what was typed is kept
    assert item_by_key(app, "exercise-cat-cow") == (item_id, count, shipped)


def test_a_new_item_can_bring_its_own_picture(app, admin_client):
    from practice.extensions import db
    from practice.library.models import ContentItem

    page = text(admin_client.get("/library/new", headers=EN))
    response = admin_client.post("/library/new", data={
        "csrf_token": csrf_token(page), "kind": "movement", "dose": "practice",
        "en_title": "Knee rocking", "en_summary": "Rock the knees gently.",
        "illustration_file": (io.BytesIO(PLAIN_SVG), "rock.svg")},
        content_type="multipart/form-data", headers=EN)
    assert response.status_code == 302, text(response)[:1500]
    with app.app_context():
        item = db.session.scalar(sa.select(ContentItem).where(ContentItem.title_en == "Knee rocking"))
        assert item.current.illustration.data == PLAIN_SVG
    listing = text(admin_client.get("/library/", headers=EN))
    assert f'class="thumb" src="/library/illustrations/{item.current.illustration_id}"' in listing


def test_pictures_are_for_signed_in_practitioners_only(app, admin_client):
    _item_id, _count, shipped = item_by_key(app, "exercise-cat-cow")
    assert admin_client.get("/library/illustrations/999999").status_code == 404
    stranger = app.test_client()
    assert stranger.get(f"/library/illustrations/{shipped}").status_code == 302  # to sign-in


# --- On the client's plan and in the handout -----------------------------------------------

CHOSEN = ("Cat-cow", "Glute bridge", "Kidney rubbing", "Acupressure point BL 40 (Wěi Zhōng)",
          "Acupressure point CV 4 (Guān Yuán)", "Acupressure point KI 3 (Tài Xī)")


@pytest.fixture
def plan(app, admin_client):
    """A client with a diary and a plan of exercises and points; (client id, phone)."""
    cid = client_id(new_client(admin_client, language="de"))
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    page = visit_page(admin_client, cid)
    ids = item_ids(page)
    response = record_visit(admin_client, cid, {"pain_now": "5",
                                                "add": [str(ids[t]) for t in CHOSEN]}, page)
    assert response.status_code == 302
    return cid, phone


def test_the_diary_plan_shows_each_steps_picture(app, admin_client, plan):
    _cid, phone = plan
    page = text(phone.get("/diary/"))
    sources = re.findall(r'class="plan-picture" src="(/diary/illustrations/\d+)"', page)
    assert len(sources) == len(CHOSEN)
    assert 'alt="Zeichnung: Katze-Kuh' in page or "alt=\"Zeichnung:" in page
    for source in sources:
        picture = phone.get(source)
        assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
    # Only pictures of the client's own plan: not any stored picture by number.
    _item_id, _count, other = item_by_key(app, "exercise-side-plank")
    assert phone.get(f"/diary/illustrations/{other}").status_code == 404
    assert app.test_client().get(sources[0]).status_code == 403  # no diary on this device


def test_the_handout_draws_the_pictures_as_vectors(app, admin_client, plan):
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    cid, _phone = plan
    response = submit(admin_client, f"/clients/{cid}/handouts", {"language": "de"},
                      page=f"/clients/{cid}")
    assert response.status_code == 302
    pdf = admin_client.get(response.location).data
    reader = PdfReader(io.BytesIO(pdf))
    accent_pages = 0
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        if ACCENT_PDF in content:  # the drawings' accent: arrows and pressure spots
            accent_pages += 1
            assert len(re.findall(r"\b[\d.-]+ [\d.-]+ [lc]\b", content)) > 60  # paths
        xobjects = page["/Resources"].get("/XObject") or {}
        for name in xobjects:
            assert xobjects[name].get_object().get("/Subtype") != "/Image", name  # no raster
    assert accent_pages >= 1
    # Every picture of the plan went into the PDF: six drawings, each with its accent.
    all_content = "".join(p.get_contents().get_data().decode("latin-1") for p in reader.pages)
    assert all_content.count(ACCENT_PDF) >= len(CHOSEN)


def test_a_handout_keeps_the_picture_it_was_issued_with(app, admin_client, plan):
    from practice.extensions import db
    from practice.handouts.models import Handout

    cid, _phone = plan
    submit(admin_client, f"/clients/{cid}/handouts", {"language": "de"}, page=f"/clients/{cid}")
    with app.app_context():
        snapshot = db.session.scalar(sa.select(Handout)).snapshot
        ids = [it["illustration_id"] for it in snapshot["items"]]
    assert all(ids) and len(ids) == len(CHOSEN)
