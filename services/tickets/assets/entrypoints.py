"""Sites, and the equipment catalog and registry."""
from nameko.rpc import rpc

from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.errors import EXPECTED, NotFound, ValidationFailed
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.permissions import require
from services.tickets.schemas import (EquipmentKindSchema, EquipmentKindWriteSchema,
                                      EquipmentQuerySchema, EquipmentSchema, EquipmentWriteSchema,
                                      PageQuerySchema, SiteSchema, SiteWriteSchema,
                                      TicketListQuerySchema, TicketSummarySchema)

SITE, SITES, SITE_WRITE = SiteSchema(), SiteSchema(many=True), SiteWriteSchema()
KIND, KINDS, KIND_WRITE = EquipmentKindSchema(), EquipmentKindSchema(many=True), EquipmentKindWriteSchema()
ITEM, ITEMS, ITEM_WRITE, ITEM_QUERY = (EquipmentSchema(), EquipmentSchema(many=True),
                                       EquipmentWriteSchema(), EquipmentQuerySchema())
PAGE, SUMMARIES, TICKET_QUERY = PageQuerySchema(), TicketSummarySchema(many=True), TicketListQuerySchema()
PAGE_QUERY = CursorPageQuerySchema()


class AssetEntrypoints(Guard):
    # -- sites ------------------------------------------------------------------------------------
    def _checked_site(self, actor, client_id, data):
        data = load(SITE_WRITE, data)
        for contact_id in data["contact_ids"]:
            contact = self.store.contacts.find(actor.account_id, contact_id, {"client_id": 1})
            if not contact or contact["client_id"] != client_id:
                raise ValidationFailed.from_fields({"contact_ids": [f"No contact {contact_id} of this client."]})
        self.store.calendars.require(actor.account_id, data.get("calendar_id"))
        return data

    @rpc(expected_exceptions=EXPECTED)
    def list_sites(self, actor, client_id, query):
        actor = self.actor_of(actor)
        if actor.is_contact:  # their own company's, as the portal reads them
            return self.contact_sites(actor, client_id, query)
        require(actor, "directory.read")
        client = self.store.clients.get(actor.account_id, str(client_id))
        docs, next_cursor = self.store.sites.list(actor.account_id, client["_id"], load(PAGE, query))
        return {"items": SITES.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_site(self, actor, client_id, site_id):
        actor = self.actor_of(actor)
        if actor.is_contact:
            return self.contact_site(actor, client_id, site_id)
        require(actor, "directory.read")
        return SITE.dump(self.store.sites.get(actor.account_id, str(site_id), str(client_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_site(self, actor, client_id, data):
        actor = self.authorized(actor, "clients.manage")
        client = self.store.clients.get(actor.account_id, str(client_id))
        site = self.store.sites.create(actor.account_id, client["_id"],
                                       self._checked_site(actor, client["_id"], data))
        self.store.audit.record(actor, "site.created", "site", site["_id"], client_id=client["_id"])
        return SITE.dump(site)

    @rpc(expected_exceptions=EXPECTED)
    def replace_site(self, actor, client_id, site_id, data):
        actor = self.authorized(actor, "clients.manage")
        site = self.store.sites.get(actor.account_id, str(site_id), str(client_id))
        site = self.store.sites.replace(actor.account_id, site["_id"],
                                        self._checked_site(actor, site["client_id"], data))
        self.store.audit.record(actor, "site.updated", "site", site["_id"])
        return SITE.dump(site)

    # -- equipment ----------------------------------------------------------------------------------
    @rpc(expected_exceptions=EXPECTED)
    def list_equipment_kinds(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.equipment_kinds.page(actor.account_id, load(PAGE_QUERY, query))
        return {"items": KINDS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def create_equipment_kind(self, actor, data):
        actor = self.authorized(actor, "clients.manage")
        kind = self.store.equipment_kinds.create(actor.account_id, load(KIND_WRITE, data))
        return KIND.dump(kind)

    def _checked_item(self, actor, data):
        data = load(ITEM_WRITE, data)
        site = self.store.sites.require(actor.account_id, data["site_id"])
        if data["kind_id"]:
            self.store.equipment_kinds.require(actor.account_id, data["kind_id"])
        return site, data

    @rpc(expected_exceptions=EXPECTED)
    def list_equipment(self, actor, query):
        actor = self.actor_of(actor)
        if actor.is_contact:
            return self.contact_equipment(actor, query)
        require(actor, "directory.read")
        docs, next_cursor = self.store.equipment.list(actor.account_id, load(ITEM_QUERY, query))
        return {"items": ITEMS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_equipment(self, actor, equipment_id):
        actor = self.actor_of(actor)
        if actor.is_contact:
            return self.contact_item(actor, equipment_id)
        require(actor, "directory.read")
        return ITEM.dump(self.store.equipment.get(actor.account_id, str(equipment_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_equipment(self, actor, data):
        actor = self.authorized(actor, "clients.manage")
        site, data = self._checked_item(actor, data)
        item = self.store.equipment.create(actor.account_id, site, data)
        self.store.audit.record(actor, "equipment.created", "equipment", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def replace_equipment(self, actor, equipment_id, data):
        actor = self.authorized(actor, "clients.manage")
        site, data = self._checked_item(actor, data)
        item = self.store.equipment.replace(actor.account_id, str(equipment_id), site, data)
        self.store.audit.record(actor, "equipment.updated", "equipment", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def rotate_equipment_code(self, actor, equipment_id):
        """A new code for the item's label; the old label stops working at once."""
        actor = self.authorized(actor, "clients.manage")
        item = self.store.equipment.rotate_code(actor.account_id, str(equipment_id))
        self.store.audit.record(actor, "equipment.code_rotated", "equipment", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def equipment_history(self, actor, equipment_id, query):
        """Tickets on the item, newest first, and its planned works."""
        actor = self.authorized(actor, "tickets.read")
        item = self.store.equipment.get(actor.account_id, str(equipment_id))
        if actor.is_contact and item["client_id"] != actor.client_id:
            raise NotFound(f"No equipment {equipment_id}.")
        docs, next_cursor = self.store.tickets.list(
            actor, load(TICKET_QUERY, dict(query, equipment_id=item["_id"])))
        planned = self.store.equipment.planned_works_of(actor.account_id, item["_id"])
        return {"items": SUMMARIES.dump(docs), "next_cursor": next_cursor, "planned_works": planned}
