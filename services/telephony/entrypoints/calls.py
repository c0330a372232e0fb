"""Calls: read by employees; linked to and unlinked from tickets by hand."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED
from services.shared.validation import load
from services.telephony.access import employee, linker
from services.telephony.schemas import (CallDetailSchema, CallQuerySchema, CallSchema,
                                        TicketLinkSchema)
from services.telephony.ticketing import call_reference, ready_recordings

CALL, CALLS, DETAIL = CallSchema(), CallSchema(many=True), CallDetailSchema()
QUERY, LINK = CallQuerySchema(), TicketLinkSchema()


class CallEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def list_calls(self, actor, query):
        actor = employee(actor)
        docs, next_cursor = self.store.calls.list(actor.account_id, load(QUERY, query))
        return {"items": CALLS.dump(docs), "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_call(self, actor, call_id):
        actor = employee(actor)
        return DETAIL.dump(self.store.calls.get(actor.account_id, str(call_id)))

    @rpc(expected_exceptions=EXPECTED)
    def link_call_to_ticket(self, actor, call_id, data):
        """The call and its ready recordings on the ticket; the tickets side checks, as this
        actor, that the ticket is theirs to change."""
        checked = linker(actor)
        ticket_id = load(LINK, data)["ticket_id"]
        call = self.store.calls.get(checked.account_id, str(call_id))
        self.tickets.link_call(checked.to_dict(), ticket_id, {
            "call": call_reference(call), "recordings": ready_recordings(call)})
        self.store.calls.link_ticket(checked.account_id, call["_id"], ticket_id)
        return CALL.dump(self.store.calls.get(checked.account_id, call["_id"]))

    @rpc(expected_exceptions=EXPECTED)
    def unlink_call_from_ticket(self, actor, call_id, ticket_id):
        checked = linker(actor)
        call = self.store.calls.get(checked.account_id, str(call_id))
        self.tickets.unlink_call(checked.to_dict(), str(ticket_id), call["_id"])
        self.store.calls.unlink_ticket(checked.account_id, call["_id"], str(ticket_id))
        return CALL.dump(self.store.calls.get(checked.account_id, call["_id"]))
