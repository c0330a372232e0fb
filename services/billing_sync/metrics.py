"""billing_sync's business counters."""
from prometheus_client import Counter

SYNC_RUNS = Counter("onec_sync_runs_total", "1C sync runs by how they ended.",
                    ["trigger", "result"])
EXPORTS = Counter("onec_exports_total", "Tries to send a closed ticket's works to 1C by outcome.",
                  ["outcome"])
