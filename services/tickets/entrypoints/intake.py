"""QR intake: what a label shows, and the ticket it opens."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED, ValidationFailed
from services.shared.validation import load
from services.tickets import intake, registration
from services.tickets.entrypoints.guard import Guard
from services.tickets.schemas import IntakeInfoSchema, IntakeReceiptSchema, IntakeTicketSchema

INFO, REPORT, RECEIPT = IntakeInfoSchema(), IntakeTicketSchema(), IntakeReceiptSchema()


class IntakeEntrypoints(Guard):
    def _known_actor(self, actor):
        return self.actor_of(actor) if actor else None

    @rpc(expected_exceptions=EXPECTED)
    def intake_info(self, actor, code):
        item, account = intake.resolve(self.directory, code, self._known_actor(actor))
        return INFO.dump(intake.describe(self.directory, item, account))

    @rpc(expected_exceptions=EXPECTED)
    def intake_ticket(self, actor, code, data, address):
        known = self._known_actor(actor)
        item, _account = intake.resolve(self.directory, code, known)
        data = load(REPORT, data)
        limiter = self.directory.intake_limits
        limiter.spend(f"code:{item['_id']}", intake.PER_CODE_PER_HOUR)
        ticket_data = {"title": data["title"], "description": data["description"],
                       "priority": "normal", "channel": "qr", "type": "incident",
                       "equipment_id": item["_id"], "client_id": None, "contact_id": None,
                       "assignee_id": None, "assignee_group_id": None, "site_id": None}
        if known is None:
            missing = {f: ["Tell us who you are: needed without signing in."]
                       for f in ("reporter_name", "reporter_phone") if not data[f]}
            if missing:
                raise ValidationFailed.from_fields(missing)
            limiter.spend(f"address:{address}", intake.PER_ADDRESS_PER_HOUR)
            known = intake.anonymous_actor(item["account_id"])
            ticket_data["reporter"] = {"name": data["reporter_name"], "phone": data["reporter_phone"]}
        prepared = registration.prepare(self.directory, known, ticket_data)
        ticket = self.directory.tickets.create(known, prepared)
        self._announce(ticket)
        coverage = ticket.get("coverage") or {}
        return RECEIPT.dump({"number": ticket["number"], "status": ticket["status"],
                             "message": coverage.get("message")})
