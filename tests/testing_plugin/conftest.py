"""The plugin's fixtures for these tests, whether or not its entry point is installed.

Importing them here makes them this folder's fixtures (a conftest's fixtures win over a
plugin's of the same name, so nothing is registered twice when the entry point loads it too).
"""

from authclient.testing import (
    async_auth_client,
    async_auth_helper,
    auth_client,
    auth_clock,
    auth_default_clients,
    auth_helper,
    auth_session_config,
    local_core,
)

__all__ = [
    "async_auth_client",
    "async_auth_helper",
    "auth_client",
    "auth_clock",
    "auth_default_clients",
    "auth_helper",
    "auth_session_config",
    "local_core",
]
