"""Property-based tests: every operation of the API, fed with requests generated from the API's
own OpenAPI schema, never fails with a server error and answers only what the schema declares:
its status codes, its content types, its headers and its bodies."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import configuration as hypothesis_configuration
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.models import Attendance, Meeting, Series
from followups.models import StakeholderRequest
from pledges.models import Commitment
from roundtable.wsgi import application
from stakeholders.models import Organization, Person
from stakeholders.tests.factories import PersonFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Schema-valid requests, and requests that break the schema on purpose.
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]

# Enough to reach every operation's validation and error paths; the whole run stays near a
# minute on two cores.
EXAMPLES_PER_OPERATION_AND_MODE = 20

# By the collection a path starts with: the model behind it and the field its paths address.
ADDRESSABLE = {
    "attendances": (Attendance, "pk"),
    "commitments": (Commitment, "pk"),
    "meetings": (Meeting, "pk"),
    "organizations": (Organization, "pk"),
    "people": (Person, "pk"),
    "requests": (StakeholderRequest, "pk"),
    "series": (Series, "slug"),
}


@pytest.fixture
def hypothesis_storage_in_tmp(tmp_path):
    """Hypothesis keeps caches on disk; keep them out of the working tree."""
    hypothesis_configuration.set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    hypothesis_configuration.set_hypothesis_home_dir(None)


def operations_deletes_last(schema):
    """Deleting goes last, so that the objects the other operations address still exist."""
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda operation: operation.method.upper() == "DELETE")


def cases(operation, mode):
    """Generated requests; for one object, half of them address one that exists, since random
    ids would reach little beyond the 404."""
    generated = operation.as_strategy(mode)
    collection = operation.path.removeprefix("/api/v1/").split("/")[0]
    parameters = [parameter.name for parameter in operation.path_parameters]
    if len(parameters) != 1 or collection not in ADDRESSABLE:
        return generated
    model, field = ADDRESSABLE[collection]
    existing = str(model.objects.values_list(field, flat=True).first())
    return st.one_of(
        generated, operation.as_strategy(mode, path_parameters={parameters[0]: existing})
    )


def test_every_operation_answers_as_its_schema_declares(
    committed, seeded, coordinator, hypothesis_storage_in_tmp, subtests
):
    # Requests commit as they do in production (`committed`): one that the database refuses
    # must not abort a transaction that the requests after it would share.
    PersonFactory()  # the relay series records no people
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    token = Token.objects.create(user=coordinator).key

    for operation in operations_deletes_last(schema):
        for mode in MODES:

            @given(case=cases(operation, mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
                # Requests to the database vary in time; their speed is not what is tested.
                deadline=None,
                # The same requests on every run, and no example database kept between runs.
                derandomize=True,
                database=None,
                # Bodies are slow to build from the schema, and some are found by filtering.
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            )
            def answers_as_declared(case):
                case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

            with subtests.test(msg=f"{operation.label} ({mode.value} data)"):
                try:
                    answers_as_declared()
                except Unsatisfiable:
                    if mode is GenerationMode.POSITIVE:
                        raise
                    # Every parameter accepts any string, say: no request breaks the schema.
                    pytest.skip("no request to this operation can break its schema")
