"""Building intake form posts for tests."""

from __future__ import annotations

from conftest import submit

BASE_CLIENT = {
    "first_name": "Jana", "last_name": "Schäfer", "date_of_birth": "1984-04-02",
    "sex": "female", "language": "de", "practitioner_id": "1",
}
COMPLETE = {"pain_now": "6", "red_flag_screen_done": "y", "consent": "y", "action": "complete"}


def new_client(client, *, complete: bool = True, **fields):
    """Post the new-client intake form; returns the response."""
    data = dict(BASE_CLIENT)
    if complete:
        data.update(COMPLETE)
    else:
        data["action"] = "draft"
    data.update({k: v for k, v in fields.items() if v is not None})
    for key in [k for k, v in fields.items() if v is None]:
        data.pop(key, None)
    return submit(client, "/clients/new", data, headers={"Accept-Language": "en"})


def client_id(response) -> int:
    """The id in the redirect to a new client's page."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.location.rstrip("/").split("/")[-1])
