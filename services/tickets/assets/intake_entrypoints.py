"""QR intake: what a label shows, and the ticket it opens."""
from nameko.rpc import rpc

from services.shared.errors import EXPECTED, Conflict, ValidationFailed
from services.shared.validation import load
from services.tickets.assets import intake, intake_limits
from services.tickets.guard import Guard
from services.tickets.schemas import IntakeInfoSchema, IntakeReceiptSchema, IntakeTicketSchema
from services.tickets.tickets import registration

INFO, REPORT, RECEIPT = IntakeInfoSchema(), IntakeTicketSchema(), IntakeReceiptSchema()


class IntakeEntrypoints(Guard):
    def _known_actor(self, actor):
        return self.actor_of(actor) if actor else None

    @rpc(expected_exceptions=EXPECTED)
    def intake_info(self, actor, code):
        item, account = intake.resolve(self.store, code, self._known_actor(actor))
        return INFO.dump(intake.describe(self.store, item, account))

    @staticmethod
    def _loaded_report(data, anonymous):
        """The report, loaded; a passer-by must name themselves, and hears of a missing name in
        the same answer as of a malformed phone."""
        missing = {}
        if anonymous:
            given = data if isinstance(data, dict) else {}
            missing = {f: ["Tell us who you are: needed without signing in."]
                       for f in ("reporter_name", "reporter_phone") if not given.get(f)}
        try:
            data = load(REPORT, data)
        except ValidationFailed as refused:
            raise ValidationFailed.from_fields({**missing, **refused.fields}) from None
        if missing:
            raise ValidationFailed.from_fields(missing)
        return data

    @rpc(expected_exceptions=EXPECTED)
    def intake_ticket(self, actor, code, data, address):
        known = self._known_actor(actor)
        item, _account = intake.resolve(self.store, code, known)
        data = self._loaded_report(data, anonymous=known is None)
        limits = self.store.intake_limits
        account_key = f"{item['account_id']}|"
        if known is None:
            # The address first: one visitor cannot use up a label's budget for everybody.
            limits.spend(f"{account_key}address:{address}", intake_limits.PER_ADDRESS_PER_HOUR)
            limits.spend(f"{account_key}code:{item['_id']}", intake_limits.PER_CODE_PER_HOUR)
        else:
            limits.spend(f"{account_key}person:{known.id}", intake_limits.PER_CODE_PER_HOUR)
        ticket_data = {"title": data["title"], "description": data["description"],
                       "priority": "normal", "channel": "qr", "type": "incident",
                       "equipment_id": item["_id"], "client_id": None, "contact_id": None,
                       "assignee_id": None, "assignee_group_id": None, "site_id": None}
        anonymous = known is None
        if anonymous:
            known = intake.anonymous_actor(item["account_id"])
            ticket_data["reporter"] = {"name": data["reporter_name"], "phone": data["reporter_phone"]}
        try:
            prepared = registration.prepare(self.store, known, ticket_data)
        except Conflict:
            if anonymous:  # the policy's message speaks of the client's contract: not for passers-by
                raise Conflict("This report cannot be accepted here; please call the service company.") from None
            raise
        ticket = self.store.tickets.create(known, prepared)
        self._announce(ticket)
        coverage = ticket.get("coverage") or {}
        return RECEIPT.dump({"number": ticket["number"], "status": ticket["status"],
                             "message": None if anonymous else coverage.get("message")})
