"""Schemathesis against ``/api/v1/openapi.json``: every operation of every resource, valid
and invalid payloads, with a bearer token; no answer may be a 5xx.

Schemathesis' pytest plugin does not load with pytest 9, so the schema is loaded with its
WSGI loader and each operation's strategy is driven by hypothesis here. The app runs with
``TESTING`` (exceptions propagate): an exception is a 500 too.
"""

from __future__ import annotations

import schemathesis
from hypothesis import given, settings
from schemathesis import GenerationMode

from .conftest import FUZZ, server_error

# Examples per operation and mode: PUTs carry the payloads, reads only ids and cursors.
EXAMPLES = {"PUT": 12, "GET": 4, "DELETE": 3}


def _run(operation, mode, token, failures):
    @settings(FUZZ, max_examples=EXAMPLES.get(operation.method.upper(), 4))
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        try:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
        except Exception as exc:  # noqa: BLE001 - the server error we look for
            server_error(failures, operation.label, f"{exc!r:.300} for {case.as_curl_command()}")
            return
        if response.status_code >= 500:
            server_error(failures, operation.label,
                         f"{response.status_code} for {case.as_curl_command()}")

    fuzz()


def test_no_api_operation_answers_a_server_error(app, api_token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert {"PUT /companies/{external_id}", "PUT /invoices/{external_id}",
            "PUT /orders/{external_id}", "GET /orders"} <= labels  # every plugin's resources
    failures: dict[str, str] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, api_token, failures)
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
