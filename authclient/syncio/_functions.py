# Generated from authclient/asyncio/_functions.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The module-level functions: each is the ``Client`` method of that name, on the default client.

``get_user_metadata("alice")`` is ``(default client).get_user_metadata("alice")``:
same parameters, same result, same docstring.
"""

from __future__ import annotations

import functools
import inspect
from typing import Callable, TypeVar

from typing_extensions import Concatenate, ParamSpec

from authclient.syncio._client import Client
from authclient.syncio._default import default_client

P = ParamSpec("P")
R = TypeVar("R")


def _on_default_client(
    method: Callable[Concatenate[Client, P], R],
) -> Callable[P, R]:
    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        client = default_client()
        return method(client, *args, **kwargs)

    signature = inspect.signature(method)
    call.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:]  # without self
    )
    return call


get_user_metadata = _on_default_client(Client.get_user_metadata)
update_user_metadata = _on_default_client(Client.update_user_metadata)
clear_user_metadata = _on_default_client(Client.clear_user_metadata)

create_new_session = _on_default_client(Client.create_new_session)
get_session = _on_default_client(Client.get_session)
refresh_session = _on_default_client(Client.refresh_session)
revoke_session = _on_default_client(Client.revoke_session)
revoke_all_sessions_for_user = _on_default_client(Client.revoke_all_sessions_for_user)
get_all_session_handles_for_user = _on_default_client(Client.get_all_session_handles_for_user)
revoke_multiple_sessions = _on_default_client(Client.revoke_multiple_sessions)
get_session_information = _on_default_client(Client.get_session_information)
update_session_data_in_database = _on_default_client(Client.update_session_data_in_database)
merge_into_access_token_payload = _on_default_client(Client.merge_into_access_token_payload)
regenerate_access_token = _on_default_client(Client.regenerate_access_token)
get_jwks = _on_default_client(Client.get_jwks)
