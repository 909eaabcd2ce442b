"""The local core's storage: one SQLite database (a file, or ``":memory:"``).

One connection is shared by every thread and guarded by a lock; every read or change happens
inside ``Store.transaction()``, so a multi-step change (a read-merge-write of metadata, a
refresh-token promotion) is atomic, also against other processes using the same file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from typing import Any, Callable, Optional, cast

import attrs

from authclient._protocol.merge import shallow_merge

_SCHEMA = """
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS apps (app_id TEXT PRIMARY KEY, core_config TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants (
    app_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    core_config TEXT NOT NULL,
    PRIMARY KEY (app_id, tenant_id)
);
CREATE TABLE IF NOT EXISTS signing_keys (
    app_id TEXT NOT NULL,
    kid TEXT NOT NULL,
    private_key_pem TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    dynamic INTEGER NOT NULL,
    PRIMARY KEY (app_id, kid)
);
CREATE TABLE IF NOT EXISTS sessions (
    app_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    handle TEXT NOT NULL,
    user_id TEXT NOT NULL,
    recipe_user_id TEXT NOT NULL,
    refresh_token_hash2 TEXT NOT NULL,
    session_data TEXT NOT NULL,
    jwt_data TEXT NOT NULL,
    expiry_ms INTEGER NOT NULL,
    time_created_ms INTEGER NOT NULL,
    use_static_key INTEGER NOT NULL,
    PRIMARY KEY (app_id, tenant_id, handle)
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (app_id, user_id);
CREATE TABLE IF NOT EXISTS user_metadata (
    app_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    metadata TEXT NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
"""

PUBLIC = "public"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _object(text: str) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(text))


@attrs.frozen
class KeyRow:
    kid: str
    private_key_pem: str
    created_ms: int
    dynamic: bool


@attrs.frozen
class SessionRow:
    app_id: str
    tenant_id: str
    handle: str
    user_id: str
    recipe_user_id: str
    refresh_token_hash2: str
    session_data: dict[str, Any]
    jwt_data: dict[str, Any]
    expiry_ms: int
    time_created_ms: int
    use_static_key: bool


def _key(row: SessionRow) -> tuple[str, str, str]:
    return (row.app_id, row.tenant_id, row.handle)


_SESSION_COLUMNS = ", ".join(attrs.fields_dict(SessionRow))


class Transaction:
    """The queries, run on the connection of one open transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def _one(self, sql: str, *args: Any) -> Optional[tuple[Any, ...]]:
        return cast("Optional[tuple[Any, ...]]", self._db.execute(sql, args).fetchone())

    def _all(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return cast("list[tuple[Any, ...]]", self._db.execute(sql, args).fetchall())

    # Apps and secrets

    def app_config(self, app_id: str) -> Optional[dict[str, Any]]:
        """The app's stored coreConfig; ``None`` if the app does not exist (public always does)."""
        row = self._one("SELECT core_config FROM apps WHERE app_id = ?", app_id)
        if row is None:
            return {} if app_id == PUBLIC else None
        return _object(row[0])

    def put_app(self, app_id: str, core_config: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO apps (app_id, core_config) VALUES (?, ?)",
            (app_id, _dumps(core_config)),
        )

    def tenant_config(self, app_id: str, tenant_id: str) -> Optional[dict[str, Any]]:
        """The tenant's coreConfig (the app's, for ``public``); ``None`` if there is no such tenant."""
        if tenant_id == PUBLIC:
            return self.app_config(app_id)
        row = self._one(
            "SELECT core_config FROM tenants WHERE app_id = ? AND tenant_id = ?", app_id, tenant_id
        )
        return None if row is None else _object(row[0])

    def tenant_configs(self, app_id: str) -> dict[str, dict[str, Any]]:
        """The coreConfig of every tenant of an existing app, ``public`` included."""
        configs = {PUBLIC: self.app_config(app_id) or {}}
        for tenant_id, config in self._all(
            "SELECT tenant_id, core_config FROM tenants WHERE app_id = ?", app_id
        ):
            configs[tenant_id] = _object(config)
        return configs

    def put_tenant(self, app_id: str, tenant_id: str, core_config: dict[str, Any]) -> None:
        """Create or replace a tenant of an existing app (``public`` is the app itself)."""
        if tenant_id == PUBLIC:
            self.put_app(app_id, core_config)
            return
        self._db.execute(
            "INSERT OR REPLACE INTO tenants (app_id, tenant_id, core_config) VALUES (?, ?, ?)",
            (app_id, tenant_id, _dumps(core_config)),
        )

    def secret(self, name: str, create: Callable[[], bytes]) -> bytes:
        """The secret called ``name``, made with ``create()`` the first time it is asked for."""
        row = self._one("SELECT value FROM secrets WHERE name = ?", name)
        if row is not None:
            return bytes(row[0])
        value = create()
        self._db.execute("INSERT INTO secrets (name, value) VALUES (?, ?)", (name, value))
        return value

    # Signing keys

    def signing_keys(self, app_id: str, *, dynamic: bool) -> list[KeyRow]:
        """The app's dynamic (or static) keys, newest first."""
        rows = self._all(
            "SELECT kid, private_key_pem, created_ms FROM signing_keys"
            " WHERE app_id = ? AND dynamic = ? ORDER BY created_ms DESC, kid",
            app_id,
            int(dynamic),
        )
        return [KeyRow(kid, pem, created, dynamic) for kid, pem, created in rows]

    def add_signing_key(self, app_id: str, key: KeyRow) -> None:
        self._db.execute(
            "INSERT INTO signing_keys (app_id, kid, private_key_pem, created_ms, dynamic)"
            " VALUES (?, ?, ?, ?, ?)",
            (app_id, key.kid, key.private_key_pem, key.created_ms, int(key.dynamic)),
        )

    # Sessions

    def insert_session(self, row: SessionRow) -> None:
        values = (
            *_key(row),
            row.user_id,
            row.recipe_user_id,
            row.refresh_token_hash2,
            _dumps(row.session_data),
            _dumps(row.jwt_data),
            row.expiry_ms,
            row.time_created_ms,
            int(row.use_static_key),
        )
        placeholders = ", ".join("?" * len(values))
        self._db.execute(
            f"INSERT INTO sessions ({_SESSION_COLUMNS}) VALUES ({placeholders})", values
        )

    def get_session(self, app_id: str, tenant_id: str, handle: str) -> Optional[SessionRow]:
        """The row, expired or not; callers decide what expiry means for them."""
        row = self._one(
            f"SELECT {_SESSION_COLUMNS} FROM sessions"
            " WHERE app_id = ? AND tenant_id = ? AND handle = ?",
            app_id,
            tenant_id,
            handle,
        )
        if row is None:
            return None
        app, tenant, handle, user, recipe_user, hash2, data, jwt_data, expiry, created, static = row
        return SessionRow(
            app, tenant, handle, user, recipe_user, hash2,
            _object(data), _object(jwt_data), expiry, created, bool(static),
        )  # fmt: skip

    def set_refresh_state(
        self, row: SessionRow, *, refresh_token_hash2: str, expiry_ms: int, use_static_key: bool
    ) -> None:
        self._db.execute(
            "UPDATE sessions SET refresh_token_hash2 = ?, expiry_ms = ?, use_static_key = ?"
            " WHERE app_id = ? AND tenant_id = ? AND handle = ?",
            (refresh_token_hash2, expiry_ms, int(use_static_key), *_key(row)),
        )

    def set_session_data(self, row: SessionRow, column: str, value: dict[str, Any]) -> None:
        """Replace ``session_data`` or ``jwt_data`` of the session."""
        assert column in ("session_data", "jwt_data")
        self._db.execute(
            f"UPDATE sessions SET {column} = ? WHERE app_id = ? AND tenant_id = ? AND handle = ?",
            (_dumps(value), *_key(row)),
        )

    def delete_sessions(self, app_id: str, tenant_id: str, handles: Sequence[str]) -> int:
        """Delete the handles of one tenant; returns how many rows went."""
        placeholders = ", ".join("?" * len(handles))
        cursor = self._db.execute(
            f"DELETE FROM sessions WHERE app_id = ? AND tenant_id = ? AND handle IN ({placeholders})",
            (app_id, tenant_id, *handles),
        )
        return cursor.rowcount

    def live_session_handles(
        self, app_id: str, tenant_id: Optional[str], user_id: str, now_ms: int
    ) -> list[str]:
        """Handles of the user's unexpired sessions, in one tenant or (``None``) in all."""
        sql = "SELECT handle FROM sessions WHERE app_id = ? AND user_id = ? AND expiry_ms > ?"
        args: list[Any] = [app_id, user_id, now_ms]
        if tenant_id is not None:
            sql += " AND tenant_id = ?"
            args.append(tenant_id)
        return [row[0] for row in self._all(sql + " ORDER BY time_created_ms, handle", *args)]

    # User metadata

    def metadata(self, app_id: str, user_id: str) -> dict[str, Any]:
        row = self._one(
            "SELECT metadata FROM user_metadata WHERE app_id = ? AND user_id = ?", app_id, user_id
        )
        return {} if row is None else _object(row[0])

    def update_metadata(self, app_id: str, user_id: str, update: dict[str, Any]) -> dict[str, Any]:
        merged = shallow_merge(self.metadata(app_id, user_id), update)
        self._db.execute(
            "INSERT OR REPLACE INTO user_metadata (app_id, user_id, metadata) VALUES (?, ?, ?)",
            (app_id, user_id, _dumps(merged)),
        )
        return merged

    def delete_metadata(self, app_id: str, user_id: str) -> None:
        self._db.execute(
            "DELETE FROM user_metadata WHERE app_id = ? AND user_id = ?", (app_id, user_id)
        )


class Store:
    """A SQLite database shared by every thread of the local core.

    ``path`` is a file (created if missing; keys, sessions and metadata survive a restart) or
    ``":memory:"``.
    """

    def __init__(self, path: str = ":memory:") -> None:
        self._lock = threading.Lock()
        # isolation_level=None: transactions are begun and ended explicitly below.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._db.execute("PRAGMA busy_timeout = 10000")
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)
        except BaseException:
            self._db.close()
            raise
        self._closed = False

    @contextmanager
    def transaction(self) -> Generator[Transaction, None, None]:
        """Run the block in one transaction: committed if it returns, rolled back if it raises."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the local core's store is closed")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()
