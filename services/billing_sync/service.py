"""The billing_sync service: the 1C connection of each account, sync runs that pull payment
states and prices from 1C, and their announcements to the tickets service. It owns the
'billing_sync' database. Entrypoints live in entrypoints/; the domain in plain modules beside
this one (docs/billing-sync.md)."""
from nameko.events import EventDispatcher
from nameko.rpc import RpcProxy

from services.billing_sync.entrypoints import connections, exports, runs
from services.billing_sync.store import Store
from services.shared import audit_trail, dead_letter_entrypoints, health
from services.shared.events import Inbox
from services.shared.logs import LogContext
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class BillingSyncService(health.HealthEntrypoints, connections.ConnectionEntrypoints,
                         runs.RunEntrypoints, exports.ExportEntrypoints,
                         audit_trail.AuditEntrypoints,
                         dead_letter_entrypoints.DeadLetterEntrypoints):
    name = "billing_sync"

    store = StoreProvider("billing_sync", Store)
    tickets = RpcProxy("tickets")
    dispatch = EventDispatcher()
    inbox = Inbox("billing_sync")
    metrics = ServiceMetrics(default_port=9104)
    log_context = LogContext()  # the gateway's request id on every log line
