"""Tickets: registration, the status workflow, what an actor is shown, comments and history, the
events announced, calls linked to tickets and partner federation. The data is in store/ (tickets,
phone_calls)."""
