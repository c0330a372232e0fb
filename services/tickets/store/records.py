"""Reads every part of named records answers the same way: one record by id or by external id,
within an account, or None (the parts' `get` and `require` say what is missing instead)."""


class RecordLookups:
    collection = None  # the name of the attribute holding the part's collection

    def find(self, account_id, record_id, fields=None):
        return getattr(self, self.collection).find_one(
            {"_id": record_id, "account_id": account_id}, fields)

    def find_by_external_id(self, account_id, external_id):
        return getattr(self, self.collection).find_one(
            {"account_id": account_id, "external_id": external_id})

    def named(self, account_id, record_ids, fields):
        """Those of `record_ids` that are the account's records, with `fields` only."""
        if not record_ids:
            return []
        return list(getattr(self, self.collection).find(
            {"_id": {"$in": list(record_ids)}, "account_id": account_id}, fields))
