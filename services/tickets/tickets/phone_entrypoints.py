"""Telephony on the tickets side: who is calling, the caller card, tickets opened or joined by
calls, recordings on tickets, calls linked and unlinked by hand.

Automatic changes come from the telephony service as the system actor of the call's account
(`{"kind": "system", "id": "telephony", ...}`); by-hand links come with the employee the gateway
authenticated. Every change is idempotent on the call id (and the recording), so a redelivered
webhook never opens a second ticket or adds a recording twice.
"""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED, Conflict, Forbidden, Unavailable
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.metrics import TICKETS_CREATED
from services.tickets.permissions import require
from services.tickets.schemas import (CallerCardSchema, CallerQuerySchema, CallLinkSchema,
                                      CallTicketSchema, ContactSchema, RecordingLinkSchema,
                                      TicketOfCallSchema)
from services.tickets.tickets import callers, registration
from services.tickets.tickets.references import check_references

TELEPHONY = "telephony"
CARD, CALLER_QUERY, CONTACT = CallerCardSchema(), CallerQuerySchema(), ContactSchema()
CALL_TICKET, CALL_LINK, RECORDING_LINK = CallTicketSchema(), CallLinkSchema(), RecordingLinkSchema()
TICKET_OF_CALL = TicketOfCallSchema()


class PhoneEntrypoints(Guard):
    def _telephony(self, actor):
        """The telephony service acting for one account; nobody else makes automatic changes."""
        actor = self.actor_of(actor)
        if not (actor.kind == "system" and actor.id == TELEPHONY):
            raise Forbidden("Only the telephony service files calls on tickets.")
        return actor

    def _telephony_or(self, actor, permission):
        actor = self.actor_of(actor)
        if not (actor.kind == "system" and actor.id == TELEPHONY):
            require(actor, permission)
        return actor

    @rpc(expected_exceptions=EXPECTED)
    def find_contact_by_phone(self, actor, number):
        """The first active contact with the number (by name), or None."""
        actor = self._telephony_or(actor, "directory.read")
        number = load(CALLER_QUERY, {"number": number})["number"]
        found = callers.contacts_with(self.store, actor.account_id, number)
        return CONTACT.dump(found[0]) if found else None

    @rpc(expected_exceptions=EXPECTED)
    def caller_card(self, actor, query):
        """Everything an agent's screen pops up for a ringing number, in one call."""
        actor = self._telephony_or(actor, "directory.read")
        number = load(CALLER_QUERY, query)["number"]
        return CARD.dump(callers.caller_card(self.store, actor.account_id, number))

    @rpc(expected_exceptions=EXPECTED)
    def ticket_for_call(self, actor, data):
        """Attach the call to the caller's open ticket or open one, as the rule says; the same
        call again gets the ticket it got the first time."""
        actor = self._telephony(actor)
        data = load(CALL_TICKET, data)
        call, phone_calls = data["call"], self.store.phone_calls
        earlier = phone_calls.ticket_of_call(actor.account_id, call["call_id"])
        if earlier is None and not phone_calls.claim(actor.account_id, call["call_id"]):
            earlier = phone_calls.ticket_of_call(actor.account_id, call["call_id"])
            if earlier is None:
                raise Unavailable("Another worker is filing this call; ask again shortly.")
        if earlier is not None:
            return TICKET_OF_CALL.dump({"ticket_id": earlier["_id"], "number": earlier["number"],
                                        "created": False})
        found = (callers.contacts_with(self.store, actor.account_id, call["number"])
                 if call["number"] else [])
        contact = found[0] if found else None
        if contact is None and data["rule"] != "callback" and data["unknown_rule"] == "ignore":
            return TICKET_OF_CALL.dump({"ticket_id": None, "number": None, "created": False})
        if contact is not None and data["rule"] == "attach_to_open_ticket":
            current = phone_calls.open_ticket_of_contact(actor.account_id, contact["_id"])
            if current is not None:
                phone_calls.attach(actor, current["_id"], call)
                return TICKET_OF_CALL.dump({"ticket_id": current["_id"],
                                            "number": current["number"], "created": False})
        ticket = self._open_for_call(actor, call, contact, data["rule"] == "callback")
        return TICKET_OF_CALL.dump({"ticket_id": ticket["_id"], "number": ticket["number"],
                                    "created": True})

    def _open_for_call(self, actor, call, contact, callback):
        data = callers.ticket_data(call, contact, callback)
        try:
            data = registration.prepare(self.store, actor, data)
        except Conflict:
            # The account's policy refuses such requests at registration; a call already
            # happened, so it is filed anyway for a person to answer under that policy.
            data = check_references(self.store, actor.account_id, data)
        data.update(call_ids=[call["call_id"]], calls=[call])
        ticket = self.store.tickets.create(actor, data)
        self._announce(ticket)
        TICKETS_CREATED.labels(ticket["channel"]).inc()
        return ticket

    def _ticket(self, actor, reference):
        """A person names a ticket by id within their scope; the PBX by id or number."""
        if actor.is_employee:
            return self.store.tickets.get(actor, str(reference))["_id"]
        return self.store.phone_calls.resolve(actor.account_id, reference)

    @rpc(expected_exceptions=EXPECTED)
    def link_call(self, actor, ticket_id, data):
        """Put a call and its ready recordings on a ticket (the PBX named it, or a person did)."""
        actor = self._telephony_or(actor, "tickets.update")
        data = load(CALL_LINK, data)
        ticket_id = self._ticket(actor, ticket_id)
        linked = self.store.phone_calls.attach(actor, ticket_id, data["call"],
                                               data["recordings"])
        return {"ticket_id": ticket_id, "linked": linked}

    @rpc(expected_exceptions=EXPECTED)
    def unlink_call(self, actor, ticket_id, call_id):
        actor = self._telephony_or(actor, "tickets.update")
        ticket_id = self._ticket(actor, ticket_id)
        return {"ticket_id": ticket_id,
                "unlinked": self.store.phone_calls.detach(actor, ticket_id, str(call_id))}

    @rpc(expected_exceptions=EXPECTED)
    def add_call_recording(self, actor, ticket_id, data):
        """The recording on the ticket once, whatever the ticket's status."""
        actor = self._telephony(actor)
        data = load(RECORDING_LINK, data)
        call = {"call_id": data["call_id"], "number": data.get("number")}
        added = self.store.phone_calls.add_recording(actor, str(ticket_id), call,
                                                     data["reference"])
        return {"ticket_id": str(ticket_id), "added": added}
