"""Where the tickets service's data lives: every read and write of its database goes through the
`Store` here, one part per collection group (store/<group>.py). Parts speak the domain (get,
list, create, record, change_status ...), return plain dicts, scope every query by account and
turn driver errors into the service's own (services/shared/errors.py); pymongo is imported
nowhere else in the service (tests/unit/test_tickets_storage_boundary.py holds it)."""
from services.shared.storage import PartedStore
from services.tickets.store.accounts import AccountStore
from services.tickets.store.audit import AuditLog
from services.tickets.store.billing_links import BillingLinks
from services.tickets.store.calendars import BusinessCalendarStore
from services.tickets.store.clients import ClientStore, ContactStore
from services.tickets.store.contracts import ContractStore, ServiceLevelStore
from services.tickets.store.credentials import CredentialStore, LoginGuard
from services.tickets.store.equipment import EquipmentKindStore, EquipmentStore
from services.tickets.store.external_ids import ExternalIdRegistry
from services.tickets.store.intake_limits import IntakeLimiter
from services.tickets.store.people import EmployeeStore, GroupStore, LoginRegistry
from services.tickets.store.phone_calls import PhoneCallStore
from services.tickets.store.pricing import PriceListStore
from services.tickets.store.saved_views import SavedViewStore
from services.tickets.store.sites import SiteStore
from services.tickets.store.sla_notifications import SlaNotificationStore
from services.tickets.store.sla_watcher import SlaWatcher
from services.tickets.store.ticket_ratings import TicketRatingStore
from services.tickets.store.tickets import TicketStore

PARTS = {"accounts": AccountStore, "employees": EmployeeStore, "groups": GroupStore,
         "logins": LoginRegistry, "clients": ClientStore, "contacts": ContactStore,
         "credentials": CredentialStore, "guard": LoginGuard, "audit": AuditLog,
         "sites": SiteStore, "equipment_kinds": EquipmentKindStore, "equipment": EquipmentStore,
         "service_levels": ServiceLevelStore, "contracts": ContractStore, "tickets": TicketStore,
         "intake_limits": IntakeLimiter, "price_list": PriceListStore,
         "external_ids": ExternalIdRegistry, "calendars": BusinessCalendarStore,
         "sla_watcher": SlaWatcher, "sla_notifications": SlaNotificationStore,
         "phone_calls": PhoneCallStore, "billing_links": BillingLinks,
         "saved_views": SavedViewStore, "ticket_ratings": TicketRatingStore}



class Store(PartedStore):
    """The tickets database, opened once per worker: `store.tickets.get(...)`,
    `store.clients.list(...)`; each attribute is the part PARTS names."""

    PARTS = PARTS
