"""The error types that cross service boundaries.

Services raise them; nameko carries them over RPC as (detail, extra); both sides import this
module, and `deserialize_to_instance` registers each type so that the caller gets the same
exception back instead of a RemoteError. The gateway maps them to HTTP in one table.

`extra` holds machine-readable details: for ValidationFailed, `{"fields": {name: [messages]}}`;
for Conflict, whatever the caller needs to recover (for example the allowed transitions).
Its values must be strings, lists or dicts of those: nameko stringifies other scalars.
"""
from nameko.exceptions import deserialize_to_instance


class ServiceError(Exception):
    def __init__(self, detail, extra=None):
        super().__init__(detail, extra or {})

    @property
    def detail(self):
        return self.args[0]

    @property
    def extra(self):
        return self.args[1]


@deserialize_to_instance
class NotFound(ServiceError):
    pass


@deserialize_to_instance
class ValidationFailed(ServiceError):
    @classmethod
    def from_fields(cls, fields):
        """`fields` maps a field name (dotted for nested ones) to a list of messages."""
        return cls("Some fields are invalid.", {"fields": fields})

    @property
    def fields(self):
        return self.extra.get("fields", {})


@deserialize_to_instance
class Forbidden(ServiceError):
    pass


@deserialize_to_instance
class Conflict(ServiceError):
    pass


@deserialize_to_instance
class Unavailable(ServiceError):
    pass


@deserialize_to_instance
class Unauthenticated(ServiceError):
    """The credential is missing, unknown, expired or revoked, or a login failed."""


@deserialize_to_instance
class Throttled(ServiceError):
    """Too many attempts; extra["retry_after"] says in how many seconds to try again."""


EXPECTED = (NotFound, ValidationFailed, Forbidden, Conflict, Unavailable, Unauthenticated, Throttled)
