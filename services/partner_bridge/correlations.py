"""Correlations as plain data: the states of a pair of tickets over a link, and the status stamp
in force on one (store/correlations.py keeps them)."""
from services.partner_bridge.conflicts import Stamp

ACTIVE, INACTIVE = "active", "inactive"


def stamp_in_force(correlation):
    return Stamp.from_dict(correlation.get("status_stamp"))
