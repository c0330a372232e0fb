"""What the sync needs from an accounting system, and how talking to one can fail.

The failures are split by what an admin must do about them: wait or fix the network
(unreachable), fix the credentials or the 1C user's rights (auth), ask the 1C side (server),
fix the mapping or the query (rejected), or suspect a proxy or a broken publication (malformed).
They stay inside billing_sync; `to_service_error` turns one into the Unavailable that may cross
the bus, keeping the kind machine-readable.
"""
import abc

from services.shared.errors import Unavailable


class OneCError(Exception):
    kind = "error"

    def __init__(self, detail, *, status=None, code=None, message=None):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.code = code
        self.message = message  # 1C's own words from its odata.error, when it sent one

    def to_service_error(self):
        extra = {"kind": self.kind}
        if self.status is not None:
            extra["status"] = str(self.status)
        if self.code is not None:
            extra["code"] = str(self.code)
        return Unavailable(self.detail, extra)


class OneCUnreachable(OneCError):
    """No answer: refused, timed out, or a proxy in front of 1C says 1C is down."""
    kind = "unreachable"


class OneCAuthFailed(OneCError):
    """HTTP 401/403: wrong user or password, or the user may not use the OData interface."""
    kind = "auth"


class OneCServerError(OneCError):
    """1C itself failed (HTTP 5xx with or without an odata.error body)."""
    kind = "server"


class OneCRejected(OneCError):
    """1C refused the request (HTTP 4xx): an unpublished entity, an unknown field, a bad filter."""
    kind = "rejected"


class OneCMalformed(OneCError):
    """A success status with a body that is not the OData JSON (or XML) it should be."""
    kind = "malformed"


class AccountingSource(abc.ABC):
    """An accounting system read and written the way 1C's standard OData interface works."""

    @abc.abstractmethod
    def metadata(self):
        """The service's $metadata document as text."""

    @abc.abstractmethod
    def read(self, resource, *, filter=None, select=None, orderby=None, top=None, skip=None):
        """One request for a collection (an entity set or a virtual table): its list of records."""

    @abc.abstractmethod
    def fits(self, resource, **parameters):
        """Whether a read of `resource` with these parameters makes a short enough request."""

    @abc.abstractmethod
    def iterate(self, resource, *, filter=None, select=None, orderby="Ref_Key", page_size=None):
        """Every record of a collection, fetched page by page."""

    @abc.abstractmethod
    def get(self, entity, ref_key):
        """One object by its Ref_Key."""

    @abc.abstractmethod
    def create(self, entity, body):
        """Create an object (a document with its tabular sections): the created record."""

    @abc.abstractmethod
    def post_document(self, entity, ref_key, operational=False):
        """Post (conduct) a created document."""
