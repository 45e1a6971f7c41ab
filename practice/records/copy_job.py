"""The complete copy as a background job: the record gathered part by part (with progress),
then one ZIP of record.json, fhir.json (the same as a FHIR R4 Bundle), diary.csv, scores.csv,
the issued handouts' PDFs as stored and record.pdf.

Started from the client page's form (a POST). The job runs later, perhaps much later: it
checks again that whoever started it may still see the client. Run twice, it makes the same
files from the same record.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from practice.accounts.models import Practitioner
from practice.clients import service as clients
from practice.clients.models import Client
from practice.diary.service import CSV_COLUMNS
from practice.exports import write_csv
from practice.measures import export as measures_export
from practice.extensions import db
from practice.handouts.models import Handout
from practice.i18n import practice_zone
from practice.jobs import service as jobs
from practice.jobs.queue import handler
from practice.public_address import configured as public_address
from practice.records import document, fhir
from practice.records.collect import PARTS, collect

KIND = "records.copy"
# After the parts of the record: the files made from it.
FILE_STEPS = ("diary.csv + fhir.json", "handouts", "record.pdf", "zip")
ZIP_TYPE = "application/zip"


def _back(job) -> str:
    return url_for("clients.show", client_id=job.params.get("client"))


def start(client: Client, *, actor):
    """The job for ``client`` (access checked by the caller), committed by the caller."""
    return jobs.start(KIND, {"client": client.id}, total=len(PARTS) + len(FILE_STEPS),
                      actor=actor)


def diary_csv(record: dict) -> str:
    """The diary of the collected record through the one CSV writer, with the columns of the
    practitioner's own diary export (so both files read the same)."""
    return write_csv(CSV_COLUMNS, ([entry[column] for column in CSV_COLUMNS]
                                   for entry in record["diary"]))


def zip_files(files: list[tuple[str, bytes, bool]], when) -> bytes:
    """A ZIP of (name, bytes, compress); every file stamped with ``when`` (the copy's time),
    so the same record gives the same archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compress in files:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            # PDFs are compressed already: stored as they are, their bytes plainly unchanged.
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@handler(KIND, title=_l("Complete copy of the record"), back=_back)
def run(job) -> None:
    """Gather, then write the files, reporting progress after every part and every file."""
    actor = db.session.get(Practitioner, job.created_by_id)
    client = db.session.get(Client, job.params.get("client"))
    # Access may have changed since the button was pressed (the client given to a colleague).
    if client is None or actor is None or not clients.may_see(actor, client):
        jobs.fail(job.id, "not_visible")
        return
    client_id = client.id
    step = len(PARTS)
    with current_app.test_request_context():
        record = collect(client, progress=lambda done, _part: jobs.progress(job, done))
        csv = diary_csv(record)
        bundle = fhir.bundle(record, practice_zone(),
                             base=(public_address() or "https://practice.invalid") + "/fhir")
        step += 1
        jobs.progress(job, step)
        listed = {h["id"]: h["file"] for h in record["handouts"]}
        stored = dict(db.session.execute(sa.select(Handout.id, Handout.pdf)
                                         .where(Handout.id.in_(list(listed)))).all())
        handout_files = [(listed[i], stored[i], False) for i in listed if i in stored]
        step += 1
        jobs.progress(job, step)  # commits: no read is held while the PDF renders
        pdf, _pages = document.render(record)
        step += 1
        jobs.progress(job, step)
        when = datetime.fromisoformat(record["created_at"]).astimezone(practice_zone())
        data = zip_files([("record.json", json.dumps(record, ensure_ascii=False, indent=2)
                           .encode("utf-8"), True),
                          ("fhir.json", json.dumps(bundle, ensure_ascii=False, indent=1)
                           .encode("utf-8"), True),
                          ("record.pdf", pdf, False),
                          ("diary.csv", csv.encode("utf-8"), True),
                          ("scores.csv", measures_export.scores_csv(record["scores"])
                           .encode("utf-8"), True),
                          *handout_files], when)
    jobs.finish(job, result=data, name=f"record-{client_id}-{when.date().isoformat()}.zip",
                media_type=ZIP_TYPE)
