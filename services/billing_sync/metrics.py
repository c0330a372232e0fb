"""billing_sync's business counters."""
from prometheus_client import Counter

SYNC_RUNS = Counter("onec_sync_runs_total", "1C sync runs by how they ended.",
                    ["trigger", "result"])
