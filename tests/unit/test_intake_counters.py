"""The QR intake counters (store/intake_limits.py) expire with their window: a TTL index deletes
them on MongoDB, the embedded store purges them (tests/unit/test_embedded_ttl.py)."""
from services.shared.clock import utcnow
from services.tickets.assets.intake_limits import WINDOW, window_of
from services.tickets.store.intake_limits import IntakeLimiter


def test_a_counter_expires_when_its_window_ends(db):
    IntakeLimiter.create_indexes(db)
    IntakeLimiter(db).spend("address:192.0.2.1", limit=10)
    counter = db.intake_counters.find_one()
    assert counter["count"] == 1
    assert counter["expires_at"] == window_of(utcnow()) + WINDOW == counter["window"] + WINDOW
    ttl = [(index["key"], index["expireAfterSeconds"])
           for index in db.intake_counters.index_information().values()
           if "expireAfterSeconds" in index]
    assert ttl == [([("expires_at", 1)], 0)]
