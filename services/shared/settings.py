"""Process settings read from the environment, with defaults that suit a laptop."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def amqp_uri():
    return os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def mongo_url():
    """A real MongoDB when set (Kubernetes); the embedded engine when empty."""
    return os.environ.get("MONGO_URL", "").strip()


def mongo_db_prefix():
    """Prefix of every database name, so that test runs against one MongoDB stay apart."""
    return os.environ.get("MONGO_DB_PREFIX", "servicedesk_")


def embedded_strict():
    """The embedded store refuses what MongoDB refuses (on unless EMBEDDED_STRICT=0): code that
    works on a laptop must work on MongoDB."""
    return os.environ.get("EMBEDDED_STRICT", "1").strip() != "0"


def data_dir():
    return Path(os.environ.get("DATA_DIR", PROJECT_ROOT / "data"))


def metrics_port(default):
    """Port of the service's Prometheus endpoint; 0 picks a free one (tests run many at once)."""
    return int(os.environ.get("METRICS_PORT", default))


def rpc_timeout():
    """Seconds a caller waits for an RPC reply before answering 503."""
    return float(os.environ.get("RPC_TIMEOUT", "10"))
