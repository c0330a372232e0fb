"""The partner_bridge service: links between accounts (of this installation or another), the
sharing of tickets over them, and the delivery of changes both ways. Entrypoints live in
entrypoints/, one mixin per domain; the domain itself in plain modules beside them."""
from nameko.rpc import RpcProxy

from services.partner_bridge.entrypoints import delivery, links, reports, sharing, ticket_panel
from services.partner_bridge.store import Store
from services.shared import audit_trail, dead_letter_entrypoints, health
from services.shared.events import Inbox
from services.shared.logs import LogContext
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider


class PartnerBridgeService(health.HealthEntrypoints, links.LinkEntrypoints,
                           sharing.ShareEntrypoints, delivery.DeliveryEntrypoints,
                           reports.ReportEntrypoints, ticket_panel.TicketPanelEntrypoints,
                           audit_trail.AuditEntrypoints,
                           dead_letter_entrypoints.DeadLetterEntrypoints):
    name = "partner_bridge"

    store = StoreProvider("partner_bridge", Store)
    inbox = Inbox("partner_bridge")
    tickets = RpcProxy("tickets")
    metrics = ServiceMetrics(default_port=9105)
    log_context = LogContext()  # the gateway's request id on every log line
