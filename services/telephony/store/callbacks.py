"""Callback claims: one callback ticket per caller per window."""
from datetime import timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError


class CallbackClaims:
    """One callback ticket per caller per window: the first missed call claims the caller's
    number until `at + window`; missed calls inside that window find the claim taken.

    The claim is one document per (account, number) under a unique index, taken by an upsert
    that only matches an expired claim: when a live claim exists the upsert tries to insert,
    the unique index refuses, and the caller learns who holds the claim. Atomic on MongoDB
    without a transaction.
    """

    def __init__(self, db):
        self.claims = db.callback_claims

    @staticmethod
    def create_indexes(db):
        db.callback_claims.create_index([("account_id", 1), ("number", 1)], unique=True)

    def claim(self, account_id, number, call_id, at, window_minutes):
        """(True, claim) when `call_id` holds the claim (again, for a redelivery), else
        (False, the live claim of an earlier call)."""
        try:
            taken = self.claims.find_one_and_update(
                {"account_id": account_id, "number": number, "until": {"$lte": at}},
                {"$set": {"call_id": call_id, "since": at,
                          "until": at + timedelta(minutes=window_minutes)}},
                upsert=True, return_document=ReturnDocument.AFTER)
            return True, taken
        except DuplicateKeyError:
            live = self.claims.find_one({"account_id": account_id, "number": number})
            return live["call_id"] == call_id, live
