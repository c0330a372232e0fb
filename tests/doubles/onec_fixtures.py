"""pytest fixtures serving the seeded 1C double; test modules import the ones they use."""
import pytest

from services.billing_sync.adapters.odata import ODataClient
from services.billing_sync.profiles import Profile
from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import seed


def client_for(double, user=None, password=None, **options):
    """A client of `double`, logged in as its user unless told otherwise; retries wait 0.05 s,
    0.1 s, ... so that fault tests stay quick."""
    options.setdefault("read_timeout", 10.0)
    options.setdefault("backoff", 0.05)
    return ODataClient(double.url, user or double.user, password or double.password, **options)


@pytest.fixture(params=["bp30", "ut11", "ut114"])
def onec(request):
    """The seeded double, once per configuration profile (УТ 11.5 is `ut11`, 11.4 `ut114`)."""
    double = seed(OneCOData(request.param)).start()
    yield double
    double.stop()


@pytest.fixture
def onec_bp():
    double = seed(OneCOData("bp30")).start()
    yield double
    double.stop()


@pytest.fixture
def onec_ut():
    double = seed(OneCOData("ut11")).start()
    yield double
    double.stop()


@pytest.fixture
def profile(onec):
    return Profile(onec.profile)
