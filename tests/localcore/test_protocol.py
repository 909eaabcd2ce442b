"""Transport-level rules of the core (CDI.md §1.1, §1.2 and §6.1-6.3)."""

from __future__ import annotations

import httpx
import pytest

from authclient.localcore import LocalCore, LocalRequest
from tests.localcore._helpers import client, create, ok


def test_apiversion_lists_versions_without_status(core: LocalCore) -> None:
    with client(core, cdi=None) as http:
        response = http.get("/apiversion")
    assert response.status_code == 200
    assert response.json() == {"versions": response.json()["versions"]}
    assert response.json()["versions"][-1] == "5.4"
    assert "2.8" in response.json()["versions"]


def test_missing_cdi_version_means_the_latest(core: LocalCore, user_id: str) -> None:
    with client(core, cdi=None) as http:
        body = ok(create(http, user_id))
    assert body["session"]["recipeUserId"] == user_id  # a >= 4.0 field
    assert body["session"]["tenantId"] == "public"


@pytest.mark.parametrize("version", ["9.9", "5.5", "1.0", "2.6", "five"])
def test_unsupported_cdi_version_is_400(core: LocalCore, version: str) -> None:
    with client(core, cdi=version) as http:
        response = http.get("/recipe/user/metadata", params={"userId": "u"})
    assert (response.status_code, response.text) == (400, f"cdi-version {version} not supported")


def test_malformed_input_is_400_plain_text(http: httpx.Client) -> None:
    cases = [
        (http.put("/recipe/user/metadata", content=b"{not json"), "Invalid Json Input"),
        (http.put("/recipe/user/metadata", content=b"[1]"), "Invalid Json Input"),
        (
            http.put("/recipe/user/metadata", json={"metadataUpdate": {}}),
            "Field name 'userId' is invalid in JSON input",
        ),
        (
            http.put("/recipe/user/metadata", json={"userId": 1, "metadataUpdate": {}}),
            "Field name 'userId' is invalid in JSON input",
        ),
        (
            http.put("/recipe/user/metadata", json={"userId": "u", "metadataUpdate": None}),
            "Field name 'metadataUpdate' is invalid in JSON input",
        ),
        (http.get("/recipe/user/metadata"), "Field name 'userId' is missing in GET request"),
    ]
    for response, message in cases:
        assert (response.status_code, response.text) == (400, message)
        assert response.headers["content-type"].startswith("text/plain")


def test_unknown_path_is_404_and_wrong_method_405(http: httpx.Client) -> None:
    response = http.get("/recipe/nothing")
    assert (response.status_code, response.text) == (404, "Not found")
    assert http.get("/a/b/recipe/session").status_code == 404
    assert http.delete("/recipe/user/metadata").status_code == 405


def test_unknown_app_is_400(http: httpx.Client) -> None:
    """In the real core's words, with the public tenant whatever the path says."""
    for path in (
        "/appid-nosuchapp/recipe/user/metadata",
        "/appid-nosuchapp/t1/recipe/session/user",
    ):
        response = http.get(path, params={"userId": "u"})
        assert (response.status_code, response.text) == (
            400,
            "AppId or tenantId not found => Tenant with the following connectionURIDomain, appId"
            " and tenantId combination not found: (, nosuchapp, public)",
        )


def test_user_id_lookup_says_unknown_user_with_http_200(http: httpx.Client) -> None:
    response = http.get("/user/id", params={"userId": "anyone"})
    assert (response.status_code, response.json()) == (200, {"status": "UNKNOWN_USER_ID_ERROR"})


def test_app_specific_apis_refuse_a_tenant_prefix(http: httpx.Client) -> None:
    response = http.get("/t1/recipe/user/metadata", params={"userId": "u"})
    assert response.status_code == 403
    assert ok(http.get("/public/recipe/user/metadata", params={"userId": "u"}))


def test_tenant_prefix_before_cdi_3_is_not_found(core: LocalCore, user_id: str) -> None:
    with client(core, cdi="2.21") as http:
        assert create(http, user_id, tenant="t1").status_code == 404
        assert ok(create(http, user_id))


def test_paths_are_case_insensitive_and_allow_a_trailing_slash(http: httpx.Client) -> None:
    assert ok(http.get("/Recipe/User/Metadata/", params={"userId": "u"}))


def test_handle_takes_plain_requests(core: LocalCore) -> None:
    response = core.handle(LocalRequest("GET", "/recipe/user/metadata", {"userId": "x"}))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "OK", "metadata": {}}
