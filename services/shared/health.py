"""The RPCs every service answers: `health` for the gateway's /health, `echo` as the latency floor."""
from nameko.rpc import rpc

from services.shared import settings
from services.shared.storage import open_database


class HealthEntrypoints:
    """Mixed into each service class; `name` is the service's."""

    name = None

    @rpc
    def health(self):
        # Touching the database proves the store answers, not only the process.
        open_database(self.name).list_collection_names()
        return {"service": self.name, "status": "ok",
                "storage": "mongodb" if settings.mongo_url() else "embedded"}

    @rpc
    def echo(self, payload):
        return payload
