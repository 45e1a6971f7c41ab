"""The record as an HL7 FHIR R4 Bundle (GDPR Art. 20: machine-readable, for another system).

Made from the collected record (practice/records/collect.py), so it says what the PDF and the
JSON say. Validated with ``fhir.resources`` (R4B models) before it is handed out. Codes: LOINC
for the pain score (NRS 72514-3) and STarT Back (panel 91349-1, items 91340-0..91348-3,
distress subscore 91350-9, total 91351-7, risk 91352-5) and the ODI score (97909-6);
the intake's own questions keep the app's keys as ``linkId``.
"""

from __future__ import annotations

import base64
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import force_locale

from practice.intake.questions import START_BACK
from practice.intake.scoring import start_back
from practice.measures.instruments import ODI as ODI_KEY
from practice.measures.instruments import PSFS as PSFS_KEY
from practice.measures.instruments import RMDQ as RMDQ_KEY
from practice.measures.instruments import START_BACK as START_BACK_KEY

LOINC = "http://loinc.org"
NRS, SB_PANEL, SB_TOTAL, SB_RISK = "72514-3", "91349-1", "91351-7", "91352-5"
SB_DISTRESS = "91350-9"
ODI_SCORE = "97909-6"
UCUM = "http://unitsofmeasure.org"
MEASURE_SYSTEM = "urn:practice:measure"  # instruments without a LOINC code
# The panel's nine items in the tool's order (loinc.org/91349-1): linkIds of the response, so it
# reads against LOINC's own Questionnaire for the panel.
SB_ITEMS = ("91340-0", "91341-8", "91342-6", "91343-4", "91344-2", "91345-9", "91346-7",
            "91347-5", "91348-3")
INTAKE_QUESTIONNAIRE = "urn:practice:questionnaire:intake"
GENDERS = {"female": "female", "male": "male", "diverse": "other"}
# A diary slot's effective time, in the practice's zone: the morning and the evening entry.
SLOT_TIMES = {"morning": time(8, 0), "evening": time(20, 0)}
SB_KEYS = tuple(q.key for q in START_BACK.questions)


def _ref(kind: str, number) -> dict:
    return {"reference": f"{kind}/{number}"}


def _coding(code: str, display: str, system: str = LOINC) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _answers(value) -> list[dict]:
    values = value if isinstance(value, list) else [value]
    result = []
    for item in values:
        if isinstance(item, bool):
            result.append({"valueBoolean": item})
        elif isinstance(item, int):
            result.append({"valueInteger": item})
        elif item not in (None, ""):
            result.append({"valueString": str(item)})
    return result


def _people(record: dict) -> dict[str, str]:
    """Every practitioner named in the record, as a Practitioner id (by name: ids stay inside)."""
    names = {record["client"].get("practitioner")}
    for visit in record["visits"]:
        names.add(visit.get("practitioner"))
        names.update(v.get("created_by") for v in visit["versions"])
    names.update(m.get("recorded_by") for m in record.get("measures", []))
    return {name: f"practitioner-{number}"
            for number, name in enumerate(sorted(n for n in names if n), 1)}


def _patient(record: dict, pid: str, people: dict) -> dict:
    client = record["client"]
    telecom = [{"system": system, "value": client[key]}
               for system, key in (("email", "email"), ("phone", "phone")) if client.get(key)]
    patient = {"resourceType": "Patient", "id": pid,
               "name": [{"family": client["last_name"], "given": [client["first_name"]]}],
               "gender": GENDERS.get(client.get("sex"), "unknown"),
               "communication": [{"language": {"coding": [{
                   "system": "urn:ietf:bcp:47", "code": client["language"]}]}}],
               "active": not client.get("archived")}
    if client.get("date_of_birth"):
        patient["birthDate"] = client["date_of_birth"]
    if telecom:
        patient["telecom"] = telecom
    if client.get("practitioner") in people:
        patient["generalPractitioner"] = [_ref("Practitioner", people[client["practitioner"]])]
    return patient


def _consents(record: dict, pid: str) -> list[dict]:
    result = []
    for consent in record["consents"]:
        resource = {
            "resourceType": "Consent", "id": f"consent-{consent['id']}",
            "status": "inactive" if consent["withdrawn_at"] else "active",
            "scope": _coding("patient-privacy", "Privacy Consent",
                             "http://terminology.hl7.org/CodeSystem/consentscope"),
            "category": [_coding("59284-0", "Patient Consent")],
            "patient": _ref("Patient", pid), "dateTime": consent["given_at"],
            "sourceAttachment": {
                "contentType": "text/plain; charset=utf-8", "language": consent["language"],
                "title": f"Consent text {consent['text_version']}",
                "data": base64.b64encode(consent["text"].encode()).decode()},
            "policyRule": _coding("GDPR-Art9", "GDPR Art. 9 (2) a: explicit consent",
                                  "urn:practice:policy")}
        if consent["withdrawn_at"]:
            resource["provision"] = {"type": "permit", "period": {
                "start": consent["given_at"], "end": consent["withdrawn_at"]}}
        result.append(resource)
    return result


def _intake(record: dict, pid: str) -> list[dict]:
    intake = record.get("intake")
    if not intake:
        return []
    result = []
    for version in intake["versions"]:
        items = [{"linkId": key, "answer": answers}
                 for key, value in sorted(version["answers"].items())
                 if key not in SB_KEYS and (answers := _answers(value))]
        result.append({
            "resourceType": "QuestionnaireResponse",
            "id": f"intake-{intake['id']}-v{version['number']}",
            "questionnaire": INTAKE_QUESTIONNAIRE,
            "status": "completed" if version["status"] == "complete" else "in-progress",
            "subject": _ref("Patient", pid), "authored": version["created_at"],
            "item": items or [{"linkId": "empty", "text": "no answers yet"}]})
    return result


def _start_back_items(answers: dict, language: str) -> list[dict]:
    """The nine answers under LOINC's item codes, the question texts in the client's language."""
    with force_locale(language):
        return [{"linkId": code, "text": str(question.label),
                 "answer": [{"valueString": answers[question.key]}]}
                for code, question in zip(SB_ITEMS, START_BACK.questions, strict=True)]


def _start_back(record: dict, pid: str) -> list[dict]:
    """The newest intake version's STarT Back answers, with total and risk as Observations."""
    intake = record.get("intake")
    if not intake or not intake["versions"]:
        return []
    newest = intake["versions"][-1]
    return _start_back_resources(f"start-back-{intake['id']}", newest["answers"],
                                 newest["created_at"], record["client"]["language"], pid)


def _start_back_resources(response_id: str, answers: dict, when: str, language: str,
                          pid: str) -> list[dict]:
    """A STarT Back response under LOINC's codes with its total, distress subscore and risk."""
    score = start_back(answers)
    if score is None:
        return []
    response = {
        "resourceType": "QuestionnaireResponse", "id": response_id,
        "questionnaire": f"{LOINC}/q/{SB_PANEL}", "status": "completed",
        "subject": _ref("Patient", pid), "authored": when,
        "item": _start_back_items(answers, language)}
    common = {"resourceType": "Observation", "status": "final",
              "category": [_coding("survey", "Survey",
                                   "http://terminology.hl7.org/CodeSystem/observation-category")],
              "subject": _ref("Patient", pid), "effectiveDateTime": when,
              "derivedFrom": [_ref("QuestionnaireResponse", response_id)]}
    total = {**common, "id": f"{response_id}-total", "code": _coding(SB_TOTAL, "STarT Back total"),
             "valueInteger": score.total}
    distress = {**common, "id": f"{response_id}-distress",
                "code": _coding(SB_DISTRESS, "Distress subscore [STarT Back]"),
                "valueInteger": score.subscore}
    risk = {**common, "id": f"{response_id}-risk", "code": _coding(SB_RISK, "STarT Back risk"),
            "valueString": score.risk}
    return [response, total, distress, risk]


def _measures(record: dict, pid: str, people: dict) -> list[dict]:
    """The questionnaires recorded here, newest values: ODI (LOINC 97909-6), RMDQ and PSFS as
    Observations (the last two have no LOINC code: a coding of this app's own), STarT Back as
    its response and Observations. Who filled it in is the performer."""
    result = []
    for measure in record.get("measures", []):
        if not measure["versions"]:
            continue
        values, key = measure["versions"][-1]["values"], measure["instrument"]
        identifier = f"measure-{measure['id']}"
        if key == START_BACK_KEY:
            result += _start_back_resources(identifier, values.get("answers", {}),
                                            measure["taken_at"], record["client"]["language"],
                                            pid)
            continue
        observation = {
            "resourceType": "Observation", "id": identifier, "status": (
                "amended" if len(measure["versions"]) > 1 else "final"),
            "category": [_coding("survey", "Survey",
                                 "http://terminology.hl7.org/CodeSystem/observation-category")],
            "code": _measure_code(key), "subject": _ref("Patient", pid),
            "effectiveDateTime": measure["taken_at"],
            "performer": [_ref("Patient", pid) if measure["filled_by"] == "client" else (
                _ref("Practitioner", people[measure["recorded_by"]])
                if measure.get("recorded_by") in people else {"display": "practitioner"})],
            "note": [{"text": f"filled in: {measure['place']}"}]}
        if measure.get("visit_id"):
            observation["encounter"] = _ref("Encounter", f"visit-{measure['visit_id']}")
        if key == ODI_KEY:
            observation["valueQuantity"] = {"value": measure["score"], "unit": "%",
                                            "system": UCUM, "code": "%"}
            observation["component"] = [{
                "code": {"text": f"ODI section {number}"}, "valueInteger": value}
                for number, value in sorted(values.get("sections", {}).items(),
                                            key=lambda pair: int(pair[0])) if value is not None]
        elif key == PSFS_KEY:
            observation["valueQuantity"] = {"value": measure["score"], "unit": "{score}",
                                            "system": UCUM, "code": "{score}"}
            observation["component"] = [{"code": {"text": a["activity"]},
                                         "valueInteger": a["rating"]}
                                        for a in values.get("activities", [])]
        else:
            observation["valueInteger"] = int(measure["score"])
        result.append(observation)
    return result


def _measure_code(key: str) -> dict:
    if key == ODI_KEY:
        return _coding(ODI_SCORE, "Oswestry Disability Index score")
    names = {RMDQ_KEY: "Roland-Morris Disability Questionnaire (RMDQ-24) total",
             PSFS_KEY: "Patient-Specific Functional Scale (PSFS) mean"}
    return {"coding": [{"system": MEASURE_SYSTEM, "code": key, "display": names[key]}],
            "text": names[key]}


def _pain(number, pid: str, pain: int, when: str, note: str, encounter: str | None = None):
    observation = {
        "resourceType": "Observation", "id": number, "status": "final",
        "category": [_coding("survey", "Survey",
                             "http://terminology.hl7.org/CodeSystem/observation-category")],
        "code": _coding(NRS, "Pain severity 0-10 verbal numeric rating [Score] - Reported"),
        "subject": _ref("Patient", pid), "effectiveDateTime": when, "valueInteger": pain,
        "note": [{"text": note}]}
    if encounter:
        observation["encounter"] = _ref("Encounter", encounter)
    return observation


def _diary(record: dict, pid: str, zone: ZoneInfo) -> list[dict]:
    result = []
    for entry in record["diary"]:
        day = date.fromisoformat(entry["day"])
        when = datetime.combine(day, SLOT_TIMES.get(entry["slot"], time(12)), tzinfo=zone)
        note = f"diary, {entry['slot']}" + (", entered late" if entry.get("is_late") else "")
        result.append(_pain(f"diary-{entry['id']}", pid, entry["pain"], when.isoformat(), note))
    return result


def _visits(record: dict, pid: str, people: dict) -> list[dict]:
    result = []
    for visit in record["visits"]:
        encounter = f"visit-{visit['id']}"
        resource = {"resourceType": "Encounter", "id": encounter, "status": "finished",
                    "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                              "code": "AMB", "display": "ambulatory"},
                    "subject": _ref("Patient", pid),
                    "period": {"start": visit["visited_at"]}}
        if visit.get("practitioner") in people:
            resource["participant"] = [{"individual": _ref(
                "Practitioner", people[visit["practitioner"]])}]
        result.append(resource)
        current = visit["versions"][-1]["data"] if visit["versions"] else {}
        if current.get("pain_now") is not None:
            result.append(_pain(f"visit-{visit['id']}-pain", pid, current["pain_now"],
                                visit["visited_at"], "at the visit", encounter))
        for version in visit["versions"][1:]:  # every correction: who, when, what changed
            agent = people.get(version.get("created_by"))
            provenance = {
                "resourceType": "Provenance", "id": f"{encounter}-v{version['number']}",
                "target": [_ref("Encounter", encounter)], "recorded": version["created_at"],
                "activity": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                    "code": "UPDATE", "display": "revise"}]},
                "reason": [{"text": "corrected: " + ", ".join(version["changed_keys"])}],
                "agent": [{"who": _ref("Practitioner", agent) if agent else
                           {"display": version.get("created_by") or "unknown"}}]}
            result.append(provenance)
    return result


def _care_plan(record: dict, pid: str, today: date) -> list[dict]:
    if not record["plan"]:
        return []
    activities = []
    for rec in record["plan"]:
        status = ("stopped" if rec["stopped_on"] else "completed" if rec["ends_on"] and
                  rec["ends_on"] < today.isoformat() else "in-progress")
        period = {"start": rec["starts_on"]}
        if rec["stopped_on"] or rec["ends_on"]:
            period["end"] = rec["stopped_on"] or rec["ends_on"]
        instructions = "; ".join(v for v in (rec["how_often"], rec["how_long"], rec["notes"]) if v)
        activities.append({"detail": {
            "kind": "ServiceRequest", "status": status, "scheduledPeriod": period,
            "code": {"text": rec["title"]},
            "description": rec["title"] + (f" ({instructions})" if instructions else "")}})
    return [{"resourceType": "CarePlan", "id": "home-care-plan", "status": "active",
             "intent": "plan", "title": "Home-care plan", "subject": _ref("Patient", pid),
             "activity": activities}]


def _handouts(record: dict, pid: str) -> list[dict]:
    return [{"resourceType": "DocumentReference", "id": f"handout-{h['id']}",
             "status": "current", "subject": _ref("Patient", pid), "date": h["issued_at"],
             "type": {"text": "Home-care handout"},
             "description": f"SHA-256 {h['sha256']}",
             "context": {"encounter": [_ref("Encounter", f"visit-{h['visit_id']}")]}
             if h.get("visit_id") else None,
             "content": [{"attachment": {"contentType": "application/pdf", "url": h["file"],
                                         "language": h["language"],
                                         "title": h["file"].rsplit("/", 1)[-1]}}]}
            for h in record["handouts"]]


def bundle(record: dict, zone: ZoneInfo, base: str = "https://practice.invalid/fhir") -> dict:
    """The record as a FHIR R4 collection Bundle (a plain dict, validated). ``base`` makes the
    entries' full URLs, so that "Patient/client-1" resolves inside the bundle."""
    from fhir.resources.R4B.bundle import Bundle

    pid = f"client-{record['client']['id']}"
    people = _people(record)
    resources = [_patient(record, pid, people)]
    resources += [{"resourceType": "Practitioner", "id": number, "name": [{"text": name}]}
                  for name, number in people.items()]
    resources += _consents(record, pid) + _intake(record, pid) + _start_back(record, pid)
    resources += _diary(record, pid, zone) + _visits(record, pid, people)
    resources += _measures(record, pid, people)
    resources += _care_plan(record, pid, datetime.now(zone).date()) + _handouts(record, pid)
    for resource in resources:  # drop empty optional parts (FHIR allows no nulls)
        for key in [k for k, v in resource.items() if v is None]:
            del resource[key]
    data = {"resourceType": "Bundle", "type": "collection", "timestamp": record["created_at"],
            "entry": [{"fullUrl": f"{base.rstrip('/')}/{r['resourceType']}/{r['id']}",
                       "resource": r}
                      for r in resources]}
    Bundle.model_validate(data)  # refuses anything FHIR R4 does not allow
    return data
