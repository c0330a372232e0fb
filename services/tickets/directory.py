"""Every store of the tickets service's database, opened together for the entrypoints."""
from services.tickets.accounts import AccountStore
from services.tickets.audit import AuditLog
from services.tickets.clients import ClientStore, ContactStore
from services.tickets.contracts import ContractStore, ServiceLevelStore
from services.tickets.credentials import CredentialStore, LoginGuard
from services.tickets.equipment import EquipmentKindStore, EquipmentStore
from services.tickets.external_ids import ExternalIdRegistry
from services.tickets.intake import IntakeLimiter
from services.tickets.people import EmployeeStore, GroupStore, LoginRegistry
from services.tickets.phone_calls import PhoneCallStore
from services.tickets.pricing import PriceListStore
from services.tickets.saved_views import SavedViewStore
from services.tickets.sites import SiteStore
from services.tickets.sla.calendar_store import BusinessCalendarStore
from services.tickets.sla.notifications import SlaNotificationStore
from services.tickets.sla.watcher import SlaWatcher
from services.tickets.store import TicketStore

PARTS = {"accounts": AccountStore, "employees": EmployeeStore, "groups": GroupStore,
         "logins": LoginRegistry, "clients": ClientStore, "contacts": ContactStore,
         "credentials": CredentialStore, "guard": LoginGuard, "audit": AuditLog,
         "sites": SiteStore, "equipment_kinds": EquipmentKindStore, "equipment": EquipmentStore,
         "service_levels": ServiceLevelStore, "contracts": ContractStore, "tickets": TicketStore,
         "intake_limits": IntakeLimiter, "price_list": PriceListStore,
         "external_ids": ExternalIdRegistry, "calendars": BusinessCalendarStore,
         "sla_watcher": SlaWatcher, "sla_notifications": SlaNotificationStore,
         "phone_calls": PhoneCallStore, "saved_views": SavedViewStore}


class Directory:
    def __init__(self, db):
        for name, store_class in PARTS.items():
            setattr(self, name, store_class(db))

    @staticmethod
    def create_indexes(db):
        for store_class in PARTS.values():
            store_class.create_indexes(db)
