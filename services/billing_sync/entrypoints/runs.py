"""Sync runs: on demand, on schedule (a timer reads each connection's schedule), their history
and status; the same timer carries out queued runs one at a time per replica."""
from datetime import date

from nameko.rpc import rpc
from nameko.timer import timer

from services.billing_sync.access import admin
from services.billing_sync.directory_link import TicketsDirectory
from services.billing_sync.metrics import SYNC_RUNS
from services.billing_sync.run_execution import execute
from services.billing_sync.schemas import (ClientPaymentsSchema, RunPageSchema, RunQuerySchema,
                                           RunRequestSchema, RunSchema, StatusSchema)
from services.shared.clock import utcnow
from services.shared.errors import EXPECTED, NotFound
from services.shared.events import announce
from services.shared.validation import load

RUN, RUNS, RUN_QUERY, RUN_REQUEST = RunSchema(), RunPageSchema(), RunQuerySchema(), RunRequestSchema()
STATUS, PAYMENTS = StatusSchema(), ClientPaymentsSchema()


class RunEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def run_sync(self, actor, connection_id, data):
        """Queue a run now (or answer the one already queued or running)."""
        actor = admin(actor)
        connection = self.store.connections.get(actor.account_id, str(connection_id))
        mode = load(RUN_REQUEST, data)["mode"]
        return RUN.dump(self.store.runs.queue(connection, "on_demand", mode))

    @rpc(expected_exceptions=EXPECTED)
    def list_runs(self, actor, connection_id, query):
        actor = admin(actor)
        self.store.connections.get(actor.account_id, str(connection_id))
        runs, next_cursor = self.store.runs.list(actor.account_id, str(connection_id),
                                                    load(RUN_QUERY, query))
        return RUNS.dump({"items": runs, "next_cursor": next_cursor})

    @rpc(expected_exceptions=EXPECTED)
    def get_run(self, actor, run_id):
        actor = admin(actor)
        return RUN.dump(self.store.runs.get(actor.account_id, str(run_id)))

    @rpc(expected_exceptions=EXPECTED)
    def sync_status(self, actor, connection_id):
        actor = admin(actor)
        connection = self.store.connections.get(actor.account_id, str(connection_id))
        runs = self.store.runs
        return STATUS.dump({
            "connection_id": connection["_id"], "next_run_at": connection.get("next_run_at"),
            "last_run": runs.last(actor.account_id, connection["_id"]),
            "last_success": runs.last(actor.account_id, connection["_id"], state="succeeded"),
            "contracts": self.store.contracts.of_account(actor.account_id)})

    @rpc(expected_exceptions=EXPECTED)
    def client_payments(self, actor, client_id):
        """Payments of a client per month, as 1C recorded them (lifetime-value reports)."""
        actor = admin(actor)
        # Another account's client answers 404 like a missing one, not an empty report.
        clients = TicketsDirectory(self.tickets, actor.account_id).clients()
        if str(client_id) not in {c["id"] for c in clients}:
            raise NotFound(f"No client {client_id}.")
        return PAYMENTS.dump({"client_id": str(client_id),
                              "periods": self.store.payments.by_period(actor.account_id,
                                                                         str(client_id))})

    @timer(interval=1)
    def run_queued(self):
        now = utcnow()
        for connection in self.store.connections.due(now):
            self.store.connections.schedule_next(connection, now)
            self.store.runs.queue(connection, "schedule", "incremental")
        run = self.store.runs.claim()
        if run is None:
            return
        directory = TicketsDirectory(self.tickets, run["account_id"])
        finished, announcements = execute(self.store, run, directory, today=date.today())
        if finished["state"] == "running":
            return  # another replica took the run over
        SYNC_RUNS.labels(run["trigger"], finished["state"]).inc()
        parts = {"contracts": self.store.contracts, "prices": self.store.prices}
        for part, doc_id, entries in announcements:
            publish = parts[part].publish_pending
            announce(lambda dispatch, _doc, name: publish(dispatch, doc_id, entries, name),
                     self.dispatch, {"_id": doc_id}, self.name)

    @timer(interval=2)
    def relay_outbox(self):
        self.store.contracts.relay(self.dispatch, self.name)
        self.store.prices.relay(self.dispatch, self.name)
