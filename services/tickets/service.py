"""The tickets service: accounts, people, clients, credentials, tickets. Entrypoints live in
entrypoints/, one mixin per domain; this class puts them together with their dependencies."""
from nameko.events import EventDispatcher

from services.shared import dead_letter_entrypoints, health
from services.shared.metrics import ServiceMetrics
from services.shared.storage import StoreProvider
from services.tickets.directory import Directory
from services.tickets.entrypoints import (accounts, assets, auth, billing, clients, federation,
                                         imports, intake, people, phone, pricing, saved_views,
                                         sla, tickets)


class TicketsService(health.HealthEntrypoints, accounts.AccountEntrypoints,
                     people.PeopleEntrypoints, clients.ClientEntrypoints, auth.AuthEntrypoints,
                     assets.AssetEntrypoints, intake.IntakeEntrypoints, pricing.PricingEntrypoints,
                     tickets.TicketEntrypoints, imports.ImportEntrypoints, sla.SlaEntrypoints,
                     phone.PhoneEntrypoints, federation.FederationEntrypoints,
                     billing.BillingEntrypoints, saved_views.SavedViewEntrypoints,
                     dead_letter_entrypoints.DeadLetterEntrypoints):
    name = "tickets"

    directory = StoreProvider("tickets", Directory)
    dispatch = EventDispatcher()
    metrics = ServiceMetrics(default_port=9101)
