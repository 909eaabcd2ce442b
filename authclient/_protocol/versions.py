"""CDI version negotiation (``GET /apiversion``)."""

from __future__ import annotations

from authclient._protocol.wire import CoreRequest, CoreResponse
from authclient.errors import IncompatibleCoreError

SUPPORTED_CDI_VERSIONS = ("5.0", "5.1", "5.2", "5.3", "5.4")


def apiversion_request() -> CoreRequest:
    # /apiversion is the one call sent without a cdi-version header (it is how we learn one).
    return CoreRequest("GET", "/apiversion", versioned=False)


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def choose_cdi_version(response: CoreResponse) -> str:
    """The highest version both sides speak; ``IncompatibleCoreError`` when there is none."""
    offered = response.field("versions", list)
    if not all(isinstance(v, str) for v in offered):
        raise response.unexpected("'versions' is not a list of strings")
    common = {v for v in SUPPORTED_CDI_VERSIONS if v in offered}
    if not common:
        raise IncompatibleCoreError(client_versions=SUPPORTED_CDI_VERSIONS, core_versions=offered)
    return max(common, key=_key)
