"""The sans-I/O core of authclient: requests described, answers read, tokens checked.

The contract of this layer:

- It is pure. Nothing here sends, receives, sleeps or awaits, and nothing imports an I/O
  library (no httpx, anyio, asyncio or trio; ``httpx`` only under ``TYPE_CHECKING``).
  ``tests/test_protocol_layer.py`` checks the imports in a fresh interpreter. The one
  side effect is a ``logging`` warning from ``jwks`` for a key it cannot use.
- The clock and the randomness are arguments: ``now`` (epoch or monotonic seconds, as each
  function says) and ``uniform(low, high)`` come from the caller, never from ``time`` or
  ``random`` here. The only state kept between calls is the bounded header cache of
  ``tokens.py``, a pure function's memo, and the verified-token caches of ``token_cache``,
  which each client owns (and gives the time to).
- Requests go out as ``wire.CoreRequest`` and answers come in as ``wire.CoreResponse``: plain
  data. Both flavors (``authclient/asyncio``, generated ``authclient/syncio``) and the local
  core drive these functions; only the sending differs.
- Bad input is refused here, before anything is built, with ``TypeError`` / ``ValueError``;
  an answer that cannot be read is a ``CoreResponseError``; a session outcome is its typed
  ``SessionError``. Secrets never reach a message or a repr.

The modules, and the rule each one owns:

- ``config``: a client's settings, validated once at construction (``ClientConfig``).
- ``fdi``: the frontend-driver rules of web requests (FDI.md): reading tokens from a request,
  the transfer method, anti-CSRF, cookies, headers, clears and the error answers.
- ``hosts``: the connection URI's hosts, and which to try first after failures (``HostHealth``).
- ``jsonvalue``: a value sent to the core is plain JSON that round-trips exactly.
- ``jwt``: JWTs for other services (``POST /recipe/jwt``) and the OpenID discovery document.
- ``jwks``: how long a fetched JWKS stays fresh, and which of its keys verify tokens.
- ``merge``: the one shallow-merge rule of metadata and access-token payloads (CDI.md §2).
- ``metadata``: the user-metadata recipe's requests and answers.
- ``redact``: every form of a secret is masked in errors and logs.
- ``retry``: when to retry, how long to wait, and how one call's time is shared out.
- ``rs256``: RS256 with ``cryptography`` (imported with the first key): JWKS keys, signatures.
- ``session``: what a session object is made of (``SessionParts``) and the rules the flavors
  apply themselves; re-exports the two modules below, as the flavors import it.
- ``session_requests``: the session recipe's requests, with their input checks.
- ``session_answers``: the core's session answers, read into results or typed errors.
- ``token_cache``: access tokens verified locally, kept per client so that verifying one
  again is a lookup; when a kept token may be used (its times, its key) and how many are kept.
- ``token_format``: the CDI access-token format, v2 to v5, shared with the local core (CDI.md
  §3.1): headers, claims per version, segment encoding, signing input, JSON.
- ``tokens``: the SDK's acceptance policy for access tokens (CDI.md §3.1, §6.6-6.8), local
  RS256 verification, and the front token.
- ``versions``: CDI version negotiation (``GET /apiversion``).
- ``urls``: domains and paths in settings (``SessionConfig``, the web layer), normalised.
- ``wire``: requests and answers as plain data, and a raw answer turned into one or an error.
"""
