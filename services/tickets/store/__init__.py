"""Every store of the tickets service's database, opened together for the entrypoints."""
from services.tickets.store.accounts import AccountStore
from services.tickets.store.audit import AuditLog
from services.tickets.store.clients import ClientStore, ContactStore
from services.tickets.store.contracts import ContractStore, ServiceLevelStore
from services.tickets.store.credentials import CredentialStore, LoginGuard
from services.tickets.store.equipment import EquipmentKindStore, EquipmentStore
from services.tickets.store.external_ids import ExternalIdRegistry
from services.tickets.assets.intake import IntakeLimiter
from services.tickets.store.people import EmployeeStore, GroupStore, LoginRegistry
from services.tickets.store.phone_calls import PhoneCallStore
from services.tickets.contracts.pricing import PriceListStore
from services.tickets.store.sites import SiteStore
from services.tickets.store.calendars import BusinessCalendarStore
from services.tickets.store.sla_notifications import SlaNotificationStore
from services.tickets.store.sla_watcher import SlaWatcher
from services.tickets.store.tickets import TicketStore

PARTS = {"accounts": AccountStore, "employees": EmployeeStore, "groups": GroupStore,
         "logins": LoginRegistry, "clients": ClientStore, "contacts": ContactStore,
         "credentials": CredentialStore, "guard": LoginGuard, "audit": AuditLog,
         "sites": SiteStore, "equipment_kinds": EquipmentKindStore, "equipment": EquipmentStore,
         "service_levels": ServiceLevelStore, "contracts": ContractStore, "tickets": TicketStore,
         "intake_limits": IntakeLimiter, "price_list": PriceListStore,
         "external_ids": ExternalIdRegistry, "calendars": BusinessCalendarStore,
         "sla_watcher": SlaWatcher, "sla_notifications": SlaNotificationStore,
         "phone_calls": PhoneCallStore}


class Directory:
    def __init__(self, db):
        for name, store_class in PARTS.items():
            setattr(self, name, store_class(db))

    @staticmethod
    def create_indexes(db):
        for store_class in PARTS.values():
            store_class.create_indexes(db)
