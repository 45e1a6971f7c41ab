"""The content library: the shipped starter library, versions, safe Markdown, search, retire."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from conftest import h1, submit

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def library(app, practice_set_up):
    """The items loaded at set-up, as {key: (item, {"de": texts, "en": texts})}."""
    from practice.extensions import db
    from practice.library.models import ContentItem

    with app.app_context():
        items = db.session.scalars(sa.select(ContentItem)).all()
        return {i.key: (i, {"de": i.current.text("de"), "en": i.current.text("en")},
                        i.source.title if i.source else None, i.kind, i.is_active,
                        (i.point_code_who, i.point_code_de, i.pinyin)) for i in items}


def _all_text(library, language=None) -> str:
    parts = []
    for _item, texts, *_ in library.values():
        for lang, own in texts.items():
            if language and lang != language:
                continue
            parts += [str(v) if not isinstance(v, list) else " ".join(v) for v in own.values()]
    return " ".join(parts).casefold()


def test_setup_loads_at_least_25_active_items_in_both_languages_with_sources(library):
    active = {k: v for k, v in library.items() if v[4]}
    assert len(active) >= 25
    for key, (_item, texts, source, kind, _active, _point) in active.items():
        assert source, key
        for language in ("de", "en"):
            assert texts[language]["title"] and texts[language]["summary"], (key, language)
            assert texts[language]["body"], (key, language)
    kinds = {v[3] for v in active.values()}
    assert {"warmth", "self_massage", "rest", "nutrition", "movement", "acupressure",
            "liver_support", "lifestyle", "warning_signs", "background"} <= kinds


def test_the_three_acupressure_points_are_there_in_both_conventions(library):
    points = {v[5][0].replace(" ", ""): v for v in library.values() if v[3] == "acupressure"}
    expected = {"BL40": ("Bl 40", "Wěi Zhōng"), "CV4": ("KG 4", "Guān Yuán"),
                "KI3": ("Ni 3", "Tài Xī")}
    for code, (german, pinyin) in expected.items():
        assert code in points, code
        _item, texts, _source, _kind, _active, point = points[code]
        assert point[1].replace(" ", "") == german.replace(" ", "")
        assert point[2] == pinyin
        for language in ("de", "en"):
            assert texts[language]["location"] and texts[language]["effect"]
            assert texts[language]["application"]


def test_warning_signs_lead_to_a_doctor(library):
    warnings = [v for v in library.values() if v[3] == "warning_signs"]
    assert warnings
    german = " ".join(v[1]["de"]["body"] + v[1]["de"]["how"] for v in warnings).casefold()
    english = " ".join(v[1]["en"]["body"] + v[1]["en"]["how"] for v in warnings).casefold()
    assert "arzt" in german or "ärzt" in german
    assert "doctor" in english
    for sign in ("numb", "bladder", "fall", "fever", "weight"):
        assert sign in english, sign


# Key recommendations of each seed article, as words that must appear in the library (English).
SEED_COVERAGE = {
    "tcm-where-back-pain-begins": ["kidney warmer", "hot water bottle", "15", "rub",
                                   "constructive rest", "black sesame", "walnut", "bone broth",
                                   "black beans", "congee", "qi gong", "yoga", "swim", "walk",
                                   "psoas", "cold"],
    "liver-morning-back-pain": ["milk thistle", "dandelion", "artichoke", "bitter", "sugar",
                                "alcohol", "fibre", "breath"],
    "lumbar-spine": ["pelvic tilt", "cat", "cow", "rotation", "glute", "bridge", "side plank",
                     "plank", "child", "30 minutes", "sit dynamically", "standing",
                     "breath", "sleep", "warmth", "massage"],
}


@pytest.mark.parametrize("source_key", SEED_COVERAGE)
def test_each_seed_articles_key_recommendations_are_covered(app, library, source_key):
    from practice.extensions import db
    from practice.library.models import ContentItem, ContentSource

    with app.app_context():
        source = db.session.scalar(sa.select(ContentSource).where(ContentSource.key == source_key))
        assert source is not None
        items = db.session.scalars(sa.select(ContentItem).where(ContentItem.source_id == source.id)).all()
        english = " ".join(
            " ".join(str(v) if not isinstance(v, list) else " ".join(v)
                     for v in i.current.text("en").values()) for i in items).casefold()
    missing = [word for word in SEED_COVERAGE[source_key] if word not in english]
    assert missing == []


def test_the_shipped_library_carries_no_advertising(library):
    everything = _all_text(library)
    for word in ("http", "www.", ".com", "akupen", "xocola", "massagesessel", "massage chair",
                 "newsletter", "shop", "lesetipp", "ballaststoffe plus", "msw-300"):
        assert word not in everything, word


def test_setup_again_does_not_duplicate_and_load_adds_nothing(app, library):
    from practice.extensions import db
    from practice.library.seed import load_shipped

    with app.app_context():
        assert load_shipped() == 0
        db.session.rollback()


def test_editing_an_item_keeps_the_old_version_retrievable(app, admin_client, library):
    key = next(k for k, v in library.items() if v[3] == "warmth")
    item_id = library[key][0].id
    before = library[key][1]["en"]["title"]
    page = text(admin_client.get(f"/library/{item_id}/edit", headers=EN))
    assert f'value="{before}"' in page
    form = dict(re.findall(r'name="((?:de|en)_\w+)"[^>]*value="([^"]*)"', page))
    for name, content in re.findall(r'<textarea[^>]*name="((?:de|en)_\w+)"[^>]*>([^<]*)</textarea>',
                                    page):
        form[name] = content.strip()
    import html as html_module

    form = {k: html_module.unescape(v) for k, v in form.items()}
    form.update({"kind": "warmth", "en_title": "Keep your lower back warm, always",
                 "note": "clearer title"})
    response = submit(admin_client, f"/library/{item_id}/edit", form, headers=EN)
    assert response.status_code == 302
    current = admin_client.get(f"/library/{item_id}?lang=en", headers=EN)
    assert h1(current) == "Keep your lower back warm, always"
    assert "Version 2" in text(current) and "clearer title" in text(current)
    old = text(admin_client.get(f"/library/{item_id}?lang=en&version=1", headers=EN))
    assert before in old and "version 1 of 2" in old
    with app.app_context():
        from practice.extensions import db
        from practice.library.models import ContentVersion

        versions = db.session.scalars(sa.select(ContentVersion).where(
            ContentVersion.item_id == item_id).order_by(ContentVersion.number)).all()
        assert [v.texts["en"]["title"] for v in versions] == [before,
                                                              "Keep your lower back warm, always"]


def test_markdown_is_sanitised(admin_client):
    hostile = ("Hello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
               "[click](javascript:alert(3)) ![pic](http://169.254.169.254/x.png) "
               "<a href='http://evil.example'>x</a> **bold**")
    response = submit(admin_client, "/library/new", {
        "kind": "background", "en_title": "Test", "en_summary": "S", "en_body": hostile,
        "de_title": "Test", "de_summary": "S"}, headers=EN)
    page = text(admin_client.get(response.location + "?lang=en", headers=EN))
    body = page.split('class="sheet-body">', 1)[1].split("</div>", 1)[0]
    assert "<strong>bold</strong>" in body
    # Hostile markup may remain as visible, escaped text, never as tags or attributes.
    tags = re.findall(r"<[^>]*>", body)
    assert set(tags) <= {"<p>", "</p>", "<strong>", "</strong>"}, tags
    assert "169.254" not in body and "&lt;script&gt;" in body


def test_search_in_both_languages_and_filter_by_kind(admin_client, library):
    german = text(admin_client.get("/library/?q=wärmflasche", headers=EN))
    english = text(admin_client.get("/library/?q=hot+water+bottle", headers=EN))
    assert "item" in german and "Nothing matches." not in german
    assert "Nothing matches." not in english
    points = text(admin_client.get("/library/?kind=acupressure", headers=EN))
    assert "BL 40" in points and 'id="group-warmth"' not in points
    assert "Nothing matches." in text(admin_client.get("/library/?q=zzzz", headers=EN))


def test_retire_and_offer_again(app, admin_client, library):
    item = next(v[0] for v in library.values() if v[3] == "nutrition")
    submit(admin_client, f"/library/{item.id}/active", {"active": "0"}, page=f"/library/{item.id}")
    assert "Retired" in text(admin_client.get(f"/library/{item.id}", headers=EN))
    retired = text(admin_client.get("/library/?status=retired", headers=EN))
    assert f"/library/{item.id}?" in retired
    assert f"/library/{item.id}?" not in text(admin_client.get("/library/", headers=EN))
    submit(admin_client, f"/library/{item.id}/active", {"active": "1"}, page=f"/library/{item.id}")
    assert f"/library/{item.id}?" in text(admin_client.get("/library/", headers=EN))


def test_new_item_needs_a_title(admin_client):
    response = submit(admin_client, "/library/new", {"kind": "warmth", "de_body": "Nur Text"},
                      headers=EN)
    assert response.status_code == 200
    assert "Give the item a title in at least one language." in text(response)
    assert "Nur Text</textarea>" in text(response)
