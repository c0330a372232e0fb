import pytest

from tests.integration.suite_process import Api, SuiteProcess
from tests.integration.world import add_sla_notice, build_world


@pytest.fixture(scope="session")
def suite(amqp_uri, tmp_path_factory):
    process = SuiteProcess(amqp_uri, tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("run"))
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def acme(suite):
    return suite.admin("acme")


@pytest.fixture(scope="session")
def globex(suite):
    return suite.admin("globex")


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
