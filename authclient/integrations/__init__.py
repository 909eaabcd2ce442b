"""Framework adapters for sessions in web requests, one module per framework.

Each module imports its framework only when it is imported itself (install the matching
extra: ``authclient[fastapi]``, ``authclient[starlette]``); ``import authclient`` imports
none of them.

- ``asgi``: ``AuthMiddleware`` for any ASGI application (async flavor).
- ``fastapi``: ``verify_session()`` as a dependency, ``create_new_session(request, ...)``.
- ``starlette``: ``SessionBackend`` for Starlette's ``AuthenticationMiddleware``,
  ``verify_session()`` for endpoints, ``create_new_session(request, ...)``.
"""
