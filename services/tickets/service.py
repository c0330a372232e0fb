"""The tickets service: accounts, people, clients, credentials, assets, contracts, tickets, SLA.
Each subdomain's folder holds its entrypoint mixins; this class puts them together with their
dependencies (the store, the event dispatcher, the metrics)."""
from nameko.events import EventDispatcher

from services.shared import dead_letter_entrypoints, health
from services.shared.logs import LogContext
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider
from services.tickets.assets import entrypoints as assets, intake_entrypoints as intake
from services.tickets.contracts import billing_entrypoints as billing
from services.tickets.contracts import entrypoints as contracts
from services.tickets.contracts import pricing_entrypoints as pricing
from services.tickets.directory import account_entrypoints as accounts
from services.tickets.directory import audit_intake
from services.tickets.directory import auth_entrypoints as auth
from services.tickets.directory import client_card_entrypoints as client_card
from services.tickets.directory import client_entrypoints as clients
from services.tickets.directory import naming_entrypoints as naming
from services.tickets.directory import people_entrypoints as people
from services.tickets.imports import entrypoints as imports
from services.tickets.portal import entrypoints as portal
from services.tickets.sla import entrypoints as sla
from services.tickets.sla import production_entrypoints
from services.tickets.store import Store
from services.tickets.tickets import entrypoints as tickets
from services.tickets.tickets import federation_entrypoints as federation
from services.tickets.tickets import phone_entrypoints as phone
from services.tickets.tickets import saved_view_entrypoints as saved_views
from services.tickets.tickets import workspace_entrypoints as workspace


class TicketsService(health.HealthEntrypoints, accounts.AccountEntrypoints,
                     people.PeopleEntrypoints, clients.ClientEntrypoints, auth.AuthEntrypoints,
                     assets.AssetEntrypoints, contracts.ContractEntrypoints,
                     intake.IntakeEntrypoints, pricing.PricingEntrypoints,
                     tickets.TicketEntrypoints, imports.ImportEntrypoints, sla.SlaEntrypoints,
                     production_entrypoints.ProductionCalendarEntrypoints,
                     phone.PhoneEntrypoints, federation.FederationEntrypoints,
                     billing.BillingEntrypoints, naming.NamingEntrypoints,
                     saved_views.SavedViewEntrypoints, workspace.WorkspaceEntrypoints,
                     client_card.ClientCardEntrypoints, audit_intake.AuditIntake,
                     portal.PortalEntrypoints,
                     dead_letter_entrypoints.DeadLetterEntrypoints):
    name = "tickets"

    store = StoreProvider("tickets", Store)
    dispatch = EventDispatcher()
    metrics = ServiceMetrics(default_port=9101)
    log_context = LogContext()  # the gateway's request id on every log line
