"""The FHIR R4 export inside the complete copy (issue 13): a Bundle that validates with
fhir.resources (R4B), whose resources, codes, references and counts match the database."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlalchemy as sa

from test_records import build_record, download_copy

pytest.importorskip("fhir.resources")


@pytest.fixture
def bundle(app, admin_client):
    cid = build_record(app, admin_client, "en")
    with download_copy(admin_client, cid) as archive:
        assert "fhir.json" in archive.namelist()
        data = json.loads(archive.read("fhir.json"))
    return cid, data


def test_the_bundle_validates_and_every_reference_resolves(bundle):
    from fhir.resources.R4B.bundle import Bundle

    _cid, data = bundle
    parsed = Bundle.model_validate(data)
    assert parsed.type == "collection"
    ids = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in data["entry"]}
    assert len(ids) == len(data["entry"])  # no id twice
    references = []

    def walk(value):
        if isinstance(value, dict):
            if set(value) >= {"reference"}:
                references.append(value["reference"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk([e["resource"] for e in data["entry"]])
    assert references and set(references) <= ids, set(references) - ids
    for entry in data["entry"]:
        assert entry["fullUrl"].endswith(f"/{entry['resource']['resourceType']}/"
                                         f"{entry['resource']['id']}")


def test_codes_and_counts_match_the_record(app, bundle):
    from practice.diary.models import DiaryEntry
    from practice.extensions import db
    from practice.handouts.models import Handout
    from practice.clients.models import Consent
    from practice.intake.models import Intake, IntakeVersion
    from practice.visits.models import Recommendation, Visit, VisitVersion

    cid, data = bundle
    resources = [e["resource"] for e in data["entry"]]
    kinds = Counter(r["resourceType"] for r in resources)

    def codes(resource):
        return {c["code"] for c in resource.get("code", {}).get("coding", [])}

    with app.app_context():
        def count(model, *where):
            return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

        entries = count(DiaryEntry, DiaryEntry.client_id == cid)
        visits = count(Visit, Visit.client_id == cid)
        corrections = count(VisitVersion, VisitVersion.visit_id.in_(
            sa.select(Visit.id).where(Visit.client_id == cid)), VisitVersion.number > 1)
        versions = count(IntakeVersion, IntakeVersion.intake_id.in_(
            sa.select(Intake.id).where(Intake.client_id == cid)))
        assert kinds["Patient"] == 1
        assert kinds["Consent"] == count(Consent, Consent.client_id == cid) == 1
        assert kinds["Encounter"] == visits == 2
        assert kinds["Provenance"] == corrections == 1
        assert kinds["DocumentReference"] == count(Handout, Handout.client_id == cid) == 2
        intake_responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"
                            and r["questionnaire"].startswith("urn:practice")]
        assert len(intake_responses) == versions == 2
        pains = [r for r in resources if NRS in codes(r)]
        # Every diary entry and every visit's pain, each an NRS Observation with its score.
        assert len(pains) == entries + visits
        diary_pains = sorted(p["valueInteger"] for p in pains if p["id"].startswith("diary-"))
        assert diary_pains == sorted(db.session.scalars(
            sa.select(DiaryEntry.pain).where(DiaryEntry.client_id == cid)))
        mornings = [p for p in pains if "morning" in p["note"][0]["text"]]
        assert mornings and all("T08:00:00" in p["effectiveDateTime"] for p in mornings)
        plan = [r for r in resources if r["resourceType"] == "CarePlan"]
        assert len(plan) == 1 and len(plan[0]["activity"]) == count(
            Recommendation, Recommendation.client_id == cid)
        stopped = [a for a in plan[0]["activity"] if a["detail"]["status"] == "stopped"]
        assert stopped  # the bridge stopped and the adjusted rubbing's first version
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    assert patient["name"][0]["family"] == "Schäfer" and patient["gender"] == "female"
    handout = next(r for r in resources if r["resourceType"] == "DocumentReference")
    assert handout["content"][0]["attachment"]["url"].startswith("handouts/")
    assert handout["description"].startswith("SHA-256 ")


NRS = "72514-3"


def test_start_back_is_coded_with_loinc_when_answered(app, admin_client):
    from intake_helpers import client_id, new_client
    from test_records import download_copy as copy

    answers = {f"sb{n}": "agree" for n in range(1, 9)} | {"sb9": "extremely"}
    cid = client_id(new_client(admin_client, language="en", **answers))
    with copy(admin_client, cid) as archive:
        data = json.loads(archive.read("fhir.json"))
    resources = {r["id"]: r for r in (e["resource"] for e in data["entry"])}
    response = next(r for r in resources.values() if r["resourceType"] ==
                    "QuestionnaireResponse" and r["questionnaire"].endswith("/91349-1"))
    # The nine items carry LOINC's item codes (loinc.org/91349-1), in the tool's order.
    assert [i["linkId"] for i in response["item"]] == [
        "91340-0", "91341-8", "91342-6", "91343-4", "91344-2", "91345-9", "91346-7", "91347-5",
        "91348-3"]
    assert response["item"][0]["text"].startswith("My back pain has spread down my leg")
    assert [i["answer"][0]["valueString"] for i in response["item"]] == ["agree"] * 8 + [
        "extremely"]
    observations = {c["code"]: r for r in resources.values() if r["resourceType"] ==
                    "Observation" for c in r["code"]["coding"]}
    assert observations["91351-7"]["valueInteger"] == 9
    assert observations["91352-5"]["valueString"] == "high"
    assert observations["91350-9"]["valueInteger"] == 5  # items 5-9
    assert observations["91351-7"]["derivedFrom"][0]["reference"] == (
        f"QuestionnaireResponse/{response['id']}")
