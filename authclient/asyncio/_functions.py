"""The module-level functions: each is the ``AsyncClient`` method of that name, on the default client.

``await get_user_metadata("alice")`` is ``await (default client).get_user_metadata("alice")``:
same parameters, same result, same docstring.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable
from typing import Callable, TypeVar

from typing_extensions import Concatenate, ParamSpec

from authclient.asyncio._client import AsyncClient
from authclient.asyncio._default import default_client

P = ParamSpec("P")
R = TypeVar("R")


def _on_default_client(
    method: Callable[Concatenate[AsyncClient, P], Awaitable[R]],
) -> Callable[P, Awaitable[R]]:
    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        client = await default_client()
        return await method(client, *args, **kwargs)

    signature = inspect.signature(method)
    call.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:]  # without self
    )
    return call


get_user_metadata = _on_default_client(AsyncClient.get_user_metadata)
update_user_metadata = _on_default_client(AsyncClient.update_user_metadata)
clear_user_metadata = _on_default_client(AsyncClient.clear_user_metadata)

create_new_session = _on_default_client(AsyncClient.create_new_session)
get_session = _on_default_client(AsyncClient.get_session)
refresh_session = _on_default_client(AsyncClient.refresh_session)
revoke_session = _on_default_client(AsyncClient.revoke_session)
revoke_all_sessions_for_user = _on_default_client(AsyncClient.revoke_all_sessions_for_user)
get_all_session_handles_for_user = _on_default_client(AsyncClient.get_all_session_handles_for_user)
revoke_multiple_sessions = _on_default_client(AsyncClient.revoke_multiple_sessions)
get_session_information = _on_default_client(AsyncClient.get_session_information)
update_session_data_in_database = _on_default_client(AsyncClient.update_session_data_in_database)
merge_into_access_token_payload = _on_default_client(AsyncClient.merge_into_access_token_payload)
regenerate_access_token = _on_default_client(AsyncClient.regenerate_access_token)
get_jwks = _on_default_client(AsyncClient.get_jwks)
