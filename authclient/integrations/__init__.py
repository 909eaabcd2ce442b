"""Framework adapters for sessions in web requests, one module per framework.

Each module imports its framework only when it is imported itself (install the matching
extra: ``authclient[fastapi]``, ``authclient[starlette]``, ``authclient[flask]``,
``authclient[django]``, ``authclient[drf]``); ``import authclient`` imports none of them.

- ``asgi``: ``AuthMiddleware`` for any ASGI application (async flavor).
- ``fastapi``: ``verify_session()`` as a dependency, ``create_new_session(request, ...)``.
- ``starlette``: ``SessionBackend`` for Starlette's ``AuthenticationMiddleware``,
  ``verify_session()`` for endpoints, ``create_new_session(request, ...)``.
- ``wsgi``: ``AuthMiddleware`` for any WSGI application (sync flavor, no event loop).
- ``flask``: ``FlaskAuth`` (an extension) or the WSGI middleware, ``verify_session()``,
  ``current_session``, ``create_new_session(request, ...)``.
- ``django``: ``AuthMiddleware`` (settings in ``AUTHCLIENT``), ``verify_session()`` for sync
  and async views, ``create_new_session`` / ``acreate_new_session``.
- ``drf``: ``SessionAuthentication`` for Django REST framework.
"""
