import pytest

from tests.integration.suite_process import Api
from tests.integration.world import add_sla_notice, build_world

# `suite`, `acme` and `globex` are in tests/conftest.py: the browser layer uses the same suite.


@pytest.fixture(scope="session")
def anonymous(suite):
    return Api(suite.url)


@pytest.fixture(scope="session")
def north(suite):
    """An account with people of every role and contacts of every portal access, and a notice of
    the SLA watcher."""
    world = build_world(suite, "north")
    add_sla_notice(world)
    return world


@pytest.fixture(scope="session")
def south(suite):
    return build_world(suite, "south")
