"""Property-based requests from the OpenAPI schema: whatever an admin sends, never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from tests.api.conftest import World

MAX_EXAMPLES = 25


def test_no_server_errors(world: World, subtests: pytest.Subtests) -> None:
    # schemathesis.pytest.from_fixture reads a private pytest attribute that pytest 9 removed,
    # so each operation runs as a subtest through its Hypothesis strategy instead.
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    headers = world.auth("admin")
    operations = [
        result.ok() if isinstance(result, Ok) else pytest.fail(str(result.err()))
        for result in schema.get_all_operations()
    ]
    assert len(operations) == 28
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        with subtests.test(operation.label):
            call()
