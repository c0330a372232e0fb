"""What a contact may read of their own company's sites and equipment: the same store verbs as
the directory's reads, with the contact's client put into every query. Another client's or
account's ids are NotFound, as for ids that do not exist."""
from services.shared.errors import NotFound
from services.shared.validation import load
from services.tickets.portal.schemas import PortalEquipmentSchema, PortalSiteSchema
from services.tickets.schemas import EquipmentQuerySchema, PageQuerySchema

SITES, ITEMS = PortalSiteSchema(many=True), PortalEquipmentSchema(many=True)
SITE, ITEM = PortalSiteSchema(), PortalEquipmentSchema()
PAGE, ITEM_QUERY = PageQuerySchema(), EquipmentQuerySchema()


def own_client(actor, client_id):
    if client_id is not None and str(client_id) != actor.client_id:
        raise NotFound(f"No client {client_id}.")
    return actor.client_id


def site(store, actor, site_id):
    return store.sites.get(actor.account_id, str(site_id), actor.client_id)


def item(store, actor, equipment_id):
    found = store.equipment.get(actor.account_id, str(equipment_id))
    if found.get("client_id") != actor.client_id:
        raise NotFound(f"No equipment {equipment_id}.")
    return found


def sites_page(store, actor, client_id, query):
    docs, next_cursor = store.sites.list(actor.account_id, own_client(actor, client_id),
                                         load(PAGE, query))
    return {"items": SITES.dump(docs), "next_cursor": next_cursor}


def equipment_page(store, actor, query):
    query = load(ITEM_QUERY, query)
    query["client_id"] = own_client(actor, query.get("client_id"))
    if "site_id" in query:
        site(store, actor, query["site_id"])
    docs, next_cursor = store.equipment.list(actor.account_id, query)
    return {"items": ITEMS.dump(docs), "next_cursor": next_cursor}


def place(store, actor, data):
    """The contact's chosen site and item, checked to be their company's: (site_id, item_id)."""
    chosen_item = item(store, actor, data["equipment_id"]) if data.get("equipment_id") else None
    site_id = data.get("site_id") or (chosen_item or {}).get("site_id")
    if data.get("site_id"):
        site(store, actor, site_id)
    if chosen_item and data.get("site_id") and chosen_item["site_id"] != data["site_id"]:
        raise NotFound(f"No equipment {data['equipment_id']} on site {data['site_id']}.")
    return site_id, chosen_item and chosen_item["_id"]
