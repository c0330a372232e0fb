"""Paid works into 1C: a closed ticket with works becomes an export job (persisted before the
event is acknowledged), a timer sends due jobs, admins list them and replay dead ones."""
from datetime import date

from nameko.rpc import rpc
from nameko.timer import timer

from services.billing_sync.access import admin
from services.billing_sync.directory_link import TicketsDirectory
from services.billing_sync.export_execution import export
from services.billing_sync.metrics import EXPORTS
from services.billing_sync.schemas import ExportJobSchema, ExportPageSchema, ExportQuerySchema
from services.shared.errors import EXPECTED
from services.shared.events import reliable_handler
from services.shared.validation import load

JOB, JOBS, JOB_QUERY = ExportJobSchema(), ExportPageSchema(), ExportQuerySchema()


class ExportEntrypoints:
    @reliable_handler("tickets", "ticket_status_changed")
    def on_ticket_status_changed(self, payload):
        if payload.get("new_status") != "closed":
            return
        account_id = payload["account_id"]
        if self.store.connections.of_account(account_id) is None:
            return  # this account does not keep its books in 1C through us
        ticket = TicketsDirectory(self.tickets, account_id).ticket(payload["ticket_id"])
        if ticket["works"] and not ticket.get("onec_sale"):
            self.store.exports.create(account_id, ticket["id"], ticket["number"])

    @timer(interval=1)
    def send_due_exports(self):
        job = self.store.exports.claim()
        if job is None:
            return
        finished = export(self.store, job, TicketsDirectory(self.tickets, job["account_id"]),
                          today=date.today())
        EXPORTS.labels(finished["state"] if finished["state"] != "pending" else "retry").inc()

    @rpc(expected_exceptions=EXPECTED)
    def list_exports(self, actor, query):
        actor = admin(actor)
        jobs, next_cursor = self.store.exports.list(actor.account_id, load(JOB_QUERY, query))
        return JOBS.dump({"items": jobs, "next_cursor": next_cursor})

    @rpc(expected_exceptions=EXPECTED)
    def get_export(self, actor, job_id):
        actor = admin(actor)
        return JOB.dump(self.store.exports.get(actor.account_id, str(job_id)))

    @rpc(expected_exceptions=EXPECTED)
    def replay_export(self, actor, job_id):
        """A dead job goes back to the queue with its attempts reset."""
        actor = admin(actor)
        return JOB.dump(self.store.exports.replay(actor.account_id, str(job_id)))
