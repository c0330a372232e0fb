import pytest

from tests.integration.suite_process import TOKENS, Api, SuiteProcess


@pytest.fixture(scope="session")
def suite(amqp_uri, tmp_path_factory):
    process = SuiteProcess(amqp_uri, tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("run"))
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def acme(suite):
    return Api(suite.url, TOKENS["acme"])


@pytest.fixture(scope="session")
def globex(suite):
    return Api(suite.url, TOKENS["globex"])


@pytest.fixture(scope="session")
def anonymous(suite):
    return Api(suite.url)
