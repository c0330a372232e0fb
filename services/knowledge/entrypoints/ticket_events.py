"""What the knowledge service hears from the tickets service: a ticket written with a suggestion
settles that suggestion's outcome, so the deflection report does not depend on the portal
remembering to call `outcome`."""
from services.shared.events import reliable_handler


class TicketEventHandlers:
    @reliable_handler("tickets", "ticket_created")
    def on_ticket_created(self, payload):
        ticket = payload["ticket"]
        if ticket.get("suggestion_id"):
            self.store.suggestions.ticket_followed(payload["account_id"], ticket["suggestion_id"],
                                                ticket.get("created_by") or {}, ticket["id"])
