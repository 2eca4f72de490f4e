"""Contract tests: every operation against the app's own OpenAPI, in-process.

Schemathesis generates valid and invalid requests from the schema and checks every
answer: no server error, a documented status and media type, a body matching the
schema, invalid input rejected, 405 with Allow for undeclared methods.
Configuration: schemathesis.toml (a schema-valid case may still be 422).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from api.main import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
def test_api_honours_its_openapi(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
