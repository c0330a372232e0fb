"""The price list and the paid one-off works recorded on tickets."""
from nameko.rpc import rpc

from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.errors import EXPECTED, NotFound
from services.shared.validation import load
from services.tickets.contracts import pricing
from services.tickets.guard import Guard
from services.tickets.schemas import PriceItemSchema, PriceItemWriteSchema, WorkCreateSchema
from services.tickets.tickets import presentation

ITEM, ITEMS, ITEM_WRITE, WORK = (PriceItemSchema(), PriceItemSchema(many=True),
                                 PriceItemWriteSchema(), WorkCreateSchema())
PAGE_QUERY = CursorPageQuerySchema()


class PricingEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def list_price_items(self, actor, query):
        actor = self.authorized(actor, "directory.read")
        docs, next_cursor = self.store.price_list.list(actor.account_id, load(PAGE_QUERY, query))
        return {"items": ITEMS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_price_item(self, actor, item_id):
        actor = self.authorized(actor, "directory.read")
        return ITEM.dump(self.store.price_list.get(actor.account_id, str(item_id)))

    @rpc(expected_exceptions=EXPECTED)
    def create_price_item(self, actor, data):
        actor = self.authorized(actor, "account.manage")
        item = self.store.price_list.create(actor.account_id, load(ITEM_WRITE, data))
        self.store.audit.record(actor, "price_item.created", "price_item", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def replace_price_item(self, actor, item_id, data):
        actor = self.authorized(actor, "account.manage")
        item = self.store.price_list.replace(actor.account_id, str(item_id), load(ITEM_WRITE, data))
        self.store.audit.record(actor, "price_item.updated", "price_item", item["_id"])
        return ITEM.dump(item)

    @rpc(expected_exceptions=EXPECTED)
    def add_work(self, actor, ticket_id, data):
        """Record a paid work: its price comes from the client's category (or the default)."""
        actor = self.authorized(actor, "tickets.works")
        data = load(WORK, data)
        ticket = self.store.tickets.get(actor, str(ticket_id))
        item = self.store.price_list.by_code(actor.account_id, data["code"])
        performed_by = data["performed_by"] or actor.id
        self.store.employees.require_active(actor.account_id, [performed_by], "performed_by")
        client = (self.store.clients.get(actor.account_id, ticket["client_id"])
                  if ticket.get("client_id") else {})
        line = pricing.work_line(item, data["quantity"], pricing.price_for(item, client.get("category")),
                                 performed_by, data["note"])
        lines_total = pricing.total(ticket.get("works", []) + [line])
        ticket = self.store.tickets.add_work(actor, ticket, line, lines_total)
        return presentation.ticket(actor, ticket, self.store.tickets.sla_views([ticket])[0])

    @rpc(expected_exceptions=EXPECTED)
    def remove_work(self, actor, ticket_id, work_id):
        actor = self.authorized(actor, "tickets.works")
        ticket = self.store.tickets.get(actor, str(ticket_id))
        remaining = [w for w in ticket.get("works", []) if w["id"] != work_id]
        if len(remaining) == len(ticket.get("works", [])):
            raise NotFound(f"No work {work_id} on this ticket.")
        ticket = self.store.tickets.remove_work(actor, ticket, work_id, pricing.total(remaining))
        return presentation.ticket(actor, ticket, self.store.tickets.sla_views([ticket])[0])
