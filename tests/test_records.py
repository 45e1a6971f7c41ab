"""The complete copy of a client's record (GDPR Art. 15/20, § 630g BGB): the collected record
is one JSON-ready dict, times in UTC."""

from __future__ import annotations

import json
from datetime import timedelta

from intake_helpers import client_id, new_client


def test_the_collected_record_is_json_in_utc(app, admin_client):
    """Times are ISO 8601 in UTC, days plain dates, and the dict survives JSON unchanged."""
    from datetime import datetime

    from practice.clients.models import Client
    from practice.extensions import db
    from practice.records.collect import PARTS, collect

    cid = client_id(new_client(admin_client))
    seen = []
    with app.test_request_context():
        record = collect(db.session.get(Client, cid),
                         progress=lambda done, part: seen.append((done, part)))
    assert seen == list(enumerate(PARTS, 1))
    assert json.loads(json.dumps(record)) == record
    for stamp in (record["created_at"], record["client"]["created_at"],
                  record["consents"][0]["given_at"], record["intake"]["versions"][0]["created_at"]):
        assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0), stamp
        assert stamp.endswith("+00:00")
    assert record["client"]["date_of_birth"] == "1984-04-02"
    assert record["visits"] == [] and record["diary"] == [] and record["handouts"] == []

