"""Apps and tenants: ``PUT /recipe/multitenancy/app/v2`` and ``PUT /recipe/multitenancy/tenant/v2``.

As the real core's ``CreateOrUpdateAppV2API`` / ``CreateOrUpdateTenantOrGetTenantV2API`` do them
(ids normalised and checked, coreConfig shallow-merged into the stored one, the same error
texts), with one deviation: the real core needs a license with the ``multi_tenancy`` feature to
create an app or a tenant (HTTP 402 without one); the local core does not.

The public tenant of an app is the app itself: its coreConfig is the app's. The public app's
config is the core's own and cannot be changed ("Cannot modify base config").
"""

from __future__ import annotations

import re
from typing import Any, Optional

from authclient._protocol.merge import shallow_merge
from authclient.localcore._wire import JAVA_TRIM, Call, HttpError, JsonBody, bad_request
from authclient.localcore.config import AppConfig, ConfigError
from authclient.localcore.store import PUBLIC

_ID = re.compile(r"[a-z0-9-]+")
_FACTOR = re.compile(r"[0-9a-zA-Z_().\-]+")
RESERVED_TENANT_IDS = ("recipe", "config", "users", "hello")
_V1_FLAGS = {
    "emailPasswordEnabled": "emailPasswordEnabled",
    "thirdPartyEnabled": "thirdParty",
    "passwordlessEnabled": "passwordless",
}


def normalise_app_id(raw: str) -> str:
    """Trimmed and lower-cased, or HTTP 400 with the real core's text."""
    app_id = raw.strip(JAVA_TRIM).lower()
    if not app_id:
        raise bad_request("appId should not be an empty String")
    if app_id.startswith("appid-"):
        raise bad_request("appId must not start with 'appid-'")
    if not _ID.fullmatch(app_id):
        raise bad_request("appId can only contain letters, numbers and hyphens")
    return app_id


def normalise_tenant_id(raw: str) -> str:
    """Trimmed and lower-cased, or HTTP 400 with the real core's text."""
    tenant_id = raw.strip(JAVA_TRIM).lower()
    if not tenant_id:
        raise bad_request("tenantId should not be an empty String")
    if tenant_id in RESERVED_TENANT_IDS:
        raise bad_request(f"Cannot use '{tenant_id}' as a tenantId")
    if tenant_id.startswith("appid-"):
        raise bad_request("tenantId must not start with 'appid-'")
    if not _ID.fullmatch(tenant_id):
        raise bad_request("tenantId can only contain letters, numbers and hyphens")
    return tenant_id


def _check_v2_fields(body: JsonBody) -> None:
    """The v2 APIs refuse the v1 recipe switches and check the factor lists (not kept: the
    local core has no login recipes)."""
    for field, name in _V1_FLAGS.items():
        if body.has(field):
            raise bad_request(f"{name} is not a valid input for this API")
    for field in ("firstFactors", "requiredSecondaryFactors"):
        factors = body.nullable_strings(field)
        if factors is None:
            continue
        if len(set(factors)) != len(factors):
            raise bad_request(f"{field} input should not contain duplicate values")
        if not all(_FACTOR.fullmatch(factor) for factor in factors):
            raise bad_request(f"{field} should contain only 0-9,a-z,A-Z,_,.,- characters")


def _create_or_update(
    call: Call, app_id: str, tenant_id: str, update: Optional[dict[str, Any]]
) -> dict[str, Any]:
    if app_id == PUBLIC and tenant_id == PUBLIC and update:
        raise bad_request("Cannot modify base config")
    with call.store.transaction() as tx:
        existing = tx.tenant_config(app_id, tenant_id)
        merged = shallow_merge(existing or {}, update or {})
        try:
            config = AppConfig.from_core_config(merged)
        except ConfigError as error:
            raise bad_request(f"Invalid core config: {error}") from None
        others = {} if existing is None and tenant_id == PUBLIC else tx.tenant_configs(app_id)
        others.pop(tenant_id, None)
        for other in others.values():
            conflict = config.conflict_with(AppConfig.from_core_config(other))
            if conflict is not None:
                raise bad_request(
                    "Invalid core config: You cannot set different values for "
                    f"{conflict} for the same appId"
                )
        if tenant_id == PUBLIC:
            tx.put_app(app_id, merged)
        else:
            tx.put_tenant(app_id, tenant_id, merged)
    return {"status": "OK", "createdNew": existing is None}


def put_app(call: Call) -> dict[str, Any]:
    body = call.body()
    raw = body.optional_string("appId")
    app_id = PUBLIC if raw is None else normalise_app_id(raw)
    call.require_tenant()
    update = body.optional_object("coreConfig")
    _check_v2_fields(body)
    if call.tenant_id != PUBLIC or call.app_id not in (PUBLIC, app_id):
        raise HttpError(403, "You must use the public or same app to add/update an app")
    return _create_or_update(call, app_id, PUBLIC, update)


def put_tenant(call: Call) -> dict[str, Any]:
    body = call.body()
    raw = body.optional_string("tenantId")
    tenant_id = PUBLIC if raw is None else normalise_tenant_id(raw)
    call.require_tenant()
    update = body.optional_object("coreConfig")
    _check_v2_fields(body)
    if tenant_id != PUBLIC and call.tenant_id not in (PUBLIC, tenant_id):
        raise HttpError(403, "You must use the public or same tenant to add/update a tenant")
    if tenant_id == PUBLIC and call.app_id != PUBLIC and call.tenant_id != PUBLIC:
        raise HttpError(403, "You must use the public or same app to add/update an app")
    return _create_or_update(call, call.app_id, tenant_id, update)
