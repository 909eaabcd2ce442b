"""Tenants as the real core has them (CDI.md §1.1; CORE ``CreateOrUpdateTenantOrGetTenantV2API``,
``WebserverAPI.getTenantId``), except that no license is needed to make them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from authclient.localcore import LocalCore, LocalRequest
from tests.localcore._helpers import client, create, create_app, create_tenant, ok, refresh

TENANT_PATH = "/recipe/multitenancy/tenant/v2"


def _not_found(app: str, tenant: str) -> str:
    return (
        "AppId or tenantId not found => Tenant with the following connectionURIDomain, appId"
        f" and tenantId combination not found: (, {app}, {tenant})"
    )


def _put_tenant(http: httpx.Client, body: dict[str, Any], prefix: str = "") -> httpx.Response:
    return http.put(prefix + TENANT_PATH, json=body)


@pytest.fixture
def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


def test_a_session_for_an_unknown_tenant_is_400_and_not_made(
    http: httpx.Client, user_id: str, tenant: str
) -> None:
    """``POST /<unknown>/recipe/session`` is refused, and no session appears anywhere."""
    response = create(http, user_id, tenant=tenant)
    assert (response.status_code, response.text) == (400, _not_found("public", tenant))
    assert response.headers["content-type"].startswith("text/plain")
    assert ok(http.get("/recipe/session/user", params={"userId": user_id}))["sessionHandles"] == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/recipe/session/user?userId=u&fetchAcrossAllTenants=false", None),
        ("POST", "/recipe/session/remove", {"userId": "u", "revokeAcrossAllTenants": False}),
        ("PUT", TENANT_PATH, {"tenantId": "other"}),
    ],
)
def test_tenant_specific_apis_refuse_an_unknown_tenant(
    http: httpx.Client, tenant: str, method: str, path: str, body: object
) -> None:
    """Listing, revoking and making tenants from an unknown tenant are 400, as in the real core."""
    response = http.request(method, f"/{tenant}{path}", json=body)
    assert (response.status_code, response.text) == (400, _not_found("public", tenant))


def test_refresh_under_an_unknown_tenant_is_400(http: httpx.Client, user_id: str) -> None:
    """The real core resolves the path's tenant on refresh too."""
    created = ok(create(http, user_id))
    body = {
        "refreshToken": created["refreshToken"]["token"],
        "enableAntiCsrf": False,
        "useDynamicSigningKey": True,
    }
    response = http.post("/nowhere/recipe/session/refresh", json=body)
    assert (response.status_code, response.text) == (400, _not_found("public", "nowhere"))


@pytest.mark.parametrize(
    "path",
    [
        "/apiversion",
        "/user/id?userId=u",
        "/recipe/user/metadata?userId=u",
        "/recipe/session/user?userId=u",
    ],
)
def test_app_specific_apis_refuse_any_tenant_prefix_with_403(http: httpx.Client, path: str) -> None:
    """Even for a tenant that does not exist, as the real core does."""
    response = http.get("/t-unknown" + path)
    assert (response.status_code, response.text) == (
        403,
        "Only public tenantId can call this app specific API",
    )


def test_tenants_are_made_once_and_then_take_sessions(
    http: httpx.Client, user_id: str, tenant: str
) -> None:
    """``createdNew`` is true the first time only; then sessions can be made in the tenant."""
    assert create_tenant(http, tenant) == {"status": "OK", "createdNew": True}
    assert create_tenant(http, tenant) == {"status": "OK", "createdNew": False}
    created = ok(create(http, user_id, tenant=tenant))
    assert created["session"]["tenantId"] == tenant
    assert ok(refresh(http, created["refreshToken"]["token"]))
    listed = http.get(
        f"/{tenant}/recipe/session/user",
        params={"userId": user_id, "fetchAcrossAllTenants": "false"},
    )
    assert ok(listed)["sessionHandles"] == [created["session"]["handle"]]


def test_tenant_ids_are_trimmed_and_lower_cased(http: httpx.Client, user_id: str) -> None:
    """``" T-Upper "`` is the tenant ``t-upper``; paths are lower-cased the same way."""
    name = f"T-{uuid.uuid4().hex[:8].upper()}"
    assert ok(_put_tenant(http, {"tenantId": f"  {name} "}))["createdNew"] is True
    assert ok(create(http, user_id, tenant=name))["session"]["tenantId"] == name.lower()
    assert create_tenant(http, name.lower())["createdNew"] is False


@pytest.mark.parametrize(
    ("tenant_id", "message"),
    [
        ("", "tenantId should not be an empty String"),
        ("   ", "tenantId should not be an empty String"),
        ("recipe", "Cannot use 'recipe' as a tenantId"),
        ("Hello", "Cannot use 'hello' as a tenantId"),
        ("appid-x", "tenantId must not start with 'appid-'"),
        ("a_b", "tenantId can only contain letters, numbers and hyphens"),
        ("ä", "tenantId can only contain letters, numbers and hyphens"),
        (5, "Field name 'tenantId' is invalid in JSON input"),
    ],
)
def test_bad_tenant_ids_get_the_real_cores_message(
    http: httpx.Client, tenant_id: object, message: str
) -> None:
    """Each invalid id is a 400 with the text the real core uses."""
    response = _put_tenant(http, {"tenantId": tenant_id})
    assert (response.status_code, response.text) == (400, message)


def test_tenants_live_in_their_app(core: LocalCore, http: httpx.Client, user_id: str) -> None:
    """A tenant made under ``/appid-<id>/`` exists in that app only."""
    app = f"app-{uuid.uuid4()}"
    create_app(http, app)
    with client(core, app=app) as in_app:
        assert create_tenant(in_app, "shared-name")["createdNew"] is True
        assert ok(create(in_app, user_id, tenant="shared-name"))
    response = create(http, user_id, tenant="shared-name")
    assert (response.status_code, response.text) == (400, _not_found("public", "shared-name"))
    missing = http.put(f"/appid-{app}-not{TENANT_PATH}", json={"tenantId": "x"})
    assert (missing.status_code, missing.text) == (400, _not_found(f"{app}-not", "public"))


def test_a_tenant_may_update_itself_but_not_make_others(http: httpx.Client, tenant: str) -> None:
    """From ``/<tenant>/``, only that tenant may be changed (403 otherwise)."""
    create_tenant(http, tenant)
    assert ok(_put_tenant(http, {"tenantId": tenant}, f"/{tenant}"))["createdNew"] is False
    response = _put_tenant(http, {"tenantId": f"{tenant}-2"}, f"/{tenant}")
    assert (response.status_code, response.text) == (
        403,
        "You must use the public or same tenant to add/update a tenant",
    )


def test_tenant_config_must_agree_with_its_app(core: LocalCore, http: httpx.Client) -> None:
    """Settings the local core uses are app-wide: a tenant with other values is a 400."""
    app = f"app-{uuid.uuid4()}"
    create_app(http, app, access_token_validity=60)
    with client(core, app=app) as in_app:
        response = _put_tenant(in_app, {"tenantId": "t1"})
        assert (response.status_code, response.text) == (
            400,
            "Invalid core config: You cannot set different values for access_token_validity"
            " for the same appId",
        )
        assert create_tenant(in_app, "t1", access_token_validity="60", other_key=1)["createdNew"]
        # The app cannot change it alone any more either.
        response = in_app.put(
            "/recipe/multitenancy/app/v2",
            json={"appId": app, "coreConfig": {"access_token_validity": 5}},
        )
        assert response.status_code == 400
        assert response.text.startswith("Invalid core config: You cannot set different values")


def test_tenant_config_is_validated(http: httpx.Client, tenant: str) -> None:
    """A coreConfig value the core cannot use is a 400 and nothing is made."""
    response = _put_tenant(http, {"tenantId": tenant, "coreConfig": {"access_token_validity": "x"}})
    assert response.status_code == 400
    assert response.text.startswith("Invalid core config: ")
    assert create_tenant(http, tenant)["createdNew"] is True


def test_the_public_app_config_cannot_be_changed(http: httpx.Client) -> None:
    """Its config is the core's own (the real core: "Cannot modify base config")."""
    for path, body in [
        (
            "/recipe/multitenancy/app/v2",
            {"appId": "public", "coreConfig": {"access_token_validity": 1}},
        ),
        ("/recipe/multitenancy/app/v2", {"coreConfig": {"x": None}}),
        (TENANT_PATH, {"tenantId": "public", "coreConfig": {"access_token_validity": 1}}),
        (TENANT_PATH, {"coreConfig": {"a": 1}}),
    ]:
        response = http.put(path, json=body)
        assert (response.status_code, response.text) == (400, "Cannot modify base config")
    unchanged: list[tuple[str, dict[str, Any]]] = [
        ("/recipe/multitenancy/app/v2", {"appId": " PUBLIC "}),
        ("/recipe/multitenancy/app/v2", {}),
        (TENANT_PATH, {"tenantId": "public", "coreConfig": {}}),
    ]
    for path, body in unchanged:
        assert ok(http.put(path, json=body)) == {"status": "OK", "createdNew": False}
    created = ok(create(http, "u"))["accessToken"]
    assert created["expiry"] - created["createdTime"] == 3600 * 1000


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"emailPasswordEnabled": True}, "emailPasswordEnabled is not a valid input for this API"),
        ({"thirdPartyEnabled": False}, "thirdParty is not a valid input for this API"),
        ({"passwordlessEnabled": True}, "passwordless is not a valid input for this API"),
        ({"firstFactors": "emailpassword"}, "Field name 'firstFactors' is invalid in JSON input"),
        ({"firstFactors": ["a", 1]}, "Field name 'firstFactors' is invalid in JSON input"),
        ({"firstFactors": ["a", "a"]}, "firstFactors input should not contain duplicate values"),
        (
            {"firstFactors": ["a b"]},
            "firstFactors should contain only 0-9,a-z,A-Z,_,.,- characters",
        ),
        (
            {"requiredSecondaryFactors": ["totp", "totp"]},
            "requiredSecondaryFactors input should not contain duplicate values",
        ),
        ({"coreConfig": []}, "Field name 'coreConfig' is invalid in JSON input"),
    ],
)
def test_v2_input_is_checked_like_the_real_core(
    http: httpx.Client, tenant: str, extra: dict[str, Any], message: str
) -> None:
    """The v2 API's other fields get the real core's 400s."""
    response = _put_tenant(http, {"tenantId": tenant, **extra})
    assert (response.status_code, response.text) == (400, message)


def test_factor_lists_are_accepted(http: httpx.Client, tenant: str) -> None:
    """Valid ``firstFactors``/``requiredSecondaryFactors`` (or null) are accepted."""
    body = {
        "tenantId": tenant,
        "firstFactors": ["emailpassword", "otp-email"],
        "requiredSecondaryFactors": None,
    }
    assert ok(_put_tenant(http, body))["createdNew"] is True


def test_tenants_survive_a_restart(tmp_path: Any) -> None:
    """Tenants are stored with everything else."""
    db = str(tmp_path / "core.db")
    with LocalCore(db) as core, client(core) as http:
        create_tenant(http, "kept")
    with LocalCore(db) as core, client(core) as http:
        assert create_tenant(http, "kept")["createdNew"] is False
        assert ok(create(http, "u", tenant="kept"))


def test_handle_answers_tenant_creation_too(core: LocalCore, tenant: str) -> None:
    """The sans-I/O handler serves the tenant route like the transports."""
    body = f'{{"tenantId": "{tenant}"}}'.encode()
    response = core.handle(LocalRequest("PUT", TENANT_PATH, body=body))
    assert (response.status, response.json()) == (200, {"status": "OK", "createdNew": True})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/recipe/session", None),
        ("PUT", "/recipe/session/data", {"userDataInDatabase": {}}),
        ("PUT", "/recipe/jwt/data", {"userDataInJWT": {}}),
        ("POST", "/recipe/session/remove", "handles"),
    ],
)
def test_a_handle_of_an_unknown_tenant_is_400(
    http: httpx.Client, tenant: str, method: str, path: str, body: Any
) -> None:
    """A handle whose ``_<tenant>`` suffix names no tenant: HTTP 400, as the real core answers."""
    handle = f"{uuid.uuid4()}_{tenant}"
    if body is None:
        response = http.get(path, params={"sessionHandle": handle})
    elif body == "handles":
        response = http.request(method, path, json={"sessionHandles": [handle]})
    else:
        response = http.request(method, path, json={"sessionHandle": handle, **body})
    assert (response.status_code, response.text) == (400, _not_found("public", tenant))
