import pytest

from tests.integration.suite_process import Api, SuiteProcess


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
