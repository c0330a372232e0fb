"""The 1C sync's way into the tickets service: RPC for matching clients, events that set
contracts' payment states and the price list."""
import logging

from nameko.rpc import rpc

from services.shared.actor import Actor
from services.shared.errors import EXPECTED, Forbidden, ValidationFailed
from services.shared.events import Inbox, reliable_handler

log = logging.getLogger(__name__)


def sync_actor(actor_data):
    """Only billing_sync, acting as itself for one account, calls these."""
    actor = Actor.from_dict(actor_data)
    if actor.kind != "system" or actor.id != "billing_sync":
        raise Forbidden("Only the 1C sync reads clients for matching.")
    return actor


class BillingEntrypoints:
    billing_inbox = Inbox("tickets")

    @rpc(expected_exceptions=EXPECTED)
    def billing_clients(self, actor):
        actor = sync_actor(actor)
        return self.store.billing_links.clients_for_matching(actor.account_id)

    @rpc(expected_exceptions=EXPECTED)
    def set_client_onec_refs(self, actor, refs):
        actor = sync_actor(actor)
        if not isinstance(refs, dict):
            raise ValidationFailed.from_fields({"refs": ["An object of client id to Ref_Key."]})
        return self.store.billing_links.set_onec_refs(actor.account_id, refs)

    @rpc(expected_exceptions=EXPECTED)
    def billing_ticket(self, actor, ticket_id):
        actor = sync_actor(actor)
        return self.store.billing_links.ticket_for_sale(actor.account_id, ticket_id)

    @rpc(expected_exceptions=EXPECTED)
    def set_ticket_onec_sale(self, actor, ticket_id, sale):
        actor = sync_actor(actor)
        self.store.billing_links.set_ticket_sale(actor.account_id, ticket_id, sale)

    @reliable_handler("billing_sync", "contract_payment_updated", inbox_attr="billing_inbox")
    def on_contract_payment_updated(self, payload):
        found = self.store.billing_links.apply_contract_payment(payload)
        if found is None:
            log.info("payment state for a contract we do not have",
                     extra={"account_id": payload["account_id"],
                            "contract_number": payload["contract"]["number"]})

    @reliable_handler("billing_sync", "price_list_updated", inbox_attr="billing_inbox")
    def on_price_list_updated(self, payload):
        self.store.billing_links.apply_price_list(payload)
