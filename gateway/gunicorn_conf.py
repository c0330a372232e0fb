"""gunicorn settings for the gateway, from the environment."""
import os
import secrets
import shutil
import tempfile

from prometheus_client import multiprocess

bind = f"{os.environ.get('GATEWAY_HOST', '0.0.0.0')}:{os.environ.get('GATEWAY_PORT', '8080')}"
# Threads, not eventlet: the gateway blocks on RPC replies, and threads keep it free of
# monkey-patching. Each thread borrows one pooled RPC proxy.
worker_class = "gthread"
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
# A live page's event stream (gateway/web/queue/live.py) holds a thread while it is open: each
# worker gets as many more threads as it admits streams (GATEWAY_SSE_STREAMS, 24 by default;
# more are answered 503 and retried by the browser), so requests always keep GATEWAY_THREADS.
threads = (int(os.environ.get("GATEWAY_THREADS", "8"))
           + int(os.environ.get("GATEWAY_SSE_STREAMS", "24")))
timeout = int(float(os.environ.get("RPC_TIMEOUT", "10"))) + 20
graceful_timeout = 10
# Idle keep-alive connections wait in the poller, not in a thread; 2 s (the default) makes clients
# that pause between requests hit closed connections. 75 s is what proxies such as nginx keep.
keepalive = 75
# gunicorn 27 opens a control socket at one path per user; suites side by side would fight over it.
control_socket_disable = True
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "services.shared.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False}},
}

# Session cookies and CSRF tokens must verify in whichever worker a request lands on: without a
# configured key (scripts/suite.py and Kubernetes give one), make one here, in the master, for all.
os.environ.setdefault("GATEWAY_SECRET_KEY", secrets.token_urlsafe(32))

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="gateway-metrics-")


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)
