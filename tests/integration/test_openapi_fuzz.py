"""A bounded schemathesis run over every operation of the OpenAPI document: no server error, no
answer that differs from its schema, no undocumented status code or content type.

Bounded to a few examples per operation (about 140 operations) so that it takes about a minute
on the two shared cores; `FUZZ_EXAMPLES` raises the bound for a deeper run by hand.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Operations that would end the fuzzing admin's own credential midway (every later request 401).
SPARED = ("/api/v1/auth/logout", "/api/v1/auth/password")


@pytest.fixture(scope="module")
def fuzzer(suite):
    return suite.admin("fuzz")


def fuzz(operation, token):
    """Up to EXAMPLES generated requests to `operation`; the first failure raised."""
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS,
                               timeout=15)
    run()


def test_every_operation_keeps_to_the_document(suite, fuzzer):
    document = schemathesis.openapi.from_url(f"{suite.url}/openapi.json")
    failures, fuzzed = {}, 0
    for found in document.get_all_operations():
        operation = found.ok()
        if operation.path in SPARED:
            continue
        fuzzed += 1
        try:
            fuzz(operation, fuzzer.token)
        except Exception as failure:  # noqa: BLE001  every operation's failure is reported at the end
            failures[operation.label] = str(failure)[:2000]
    assert fuzzed > 100  # the document was read whole
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
