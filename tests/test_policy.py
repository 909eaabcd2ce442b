"""The transport's pure rules: time budgets, host order, retry waits, redaction, api key checks."""

from __future__ import annotations

import httpx
import pytest

from authclient._protocol.config import check_api_key
from authclient._protocol.hosts import Host, HostHealth
from authclient._protocol.redact import Redactor, mask_secret_fields, secrets_in
from authclient._protocol.retry import Timeouts, attempt_deadline, backoff_delay
from authclient._protocol.wire import CoreRequest

GET = CoreRequest("GET", "/recipe/user/metadata")
CREATE = CoreRequest("POST", "/public/recipe/session", idempotent=False)


def test_a_number_bounds_every_phase_and_the_whole_call() -> None:
    """timeout=2 gives each phase 2 s and the call a deadline 2 s after it starts."""
    timeouts = Timeouts.from_value(2)
    assert (timeouts.connect, timeouts.read, timeouts.write, timeouts.pool) == (2, 2, 2, 2)
    assert timeouts.deadline(100.0) == 102.0


def test_an_httpx_timeout_sets_phases_and_its_largest_bounds_the_call() -> None:
    """httpx.Timeout(5, connect=1): phases as given, the call ends within 5 s."""
    timeouts = Timeouts.from_value(httpx.Timeout(5.0, connect=1.0))
    assert timeouts.connect == 1.0
    assert timeouts.total == 5.0


def test_no_timeout_means_no_deadline() -> None:
    """httpx.Timeout(None) leaves calls unbounded, as httpx does."""
    assert Timeouts.from_value(httpx.Timeout(None)).deadline(1.0) is None


@pytest.mark.parametrize("bad", [0, -1, True, "10", None])
def test_bad_timeouts_are_refused(bad: object) -> None:
    """Zero, negative, bool, str or None are not a timeout."""
    with pytest.raises(ValueError, match="timeout"):
        Timeouts.from_value(bad)


def test_phases_are_cut_to_what_is_left_of_the_deadline() -> None:
    """With 0.5 s left, no phase may wait longer than 0.5 s."""
    limits = Timeouts.from_value(10).for_attempt(now=99.5, deadline=100.0)
    assert limits == {"connect": 0.5, "read": 0.5, "write": 0.5, "pool": 0.5}


def test_an_idempotent_attempt_gets_a_share_of_the_time_left() -> None:
    """Three hosts still to try and 9 s left: this attempt gets 3 s; a create gets all 9."""
    assert attempt_deadline(0.0, 9.0, 3, GET) == 3.0
    assert attempt_deadline(0.0, 9.0, 3, CREATE) == 9.0
    assert attempt_deadline(0.0, 9.0, 1, GET) == 9.0
    assert attempt_deadline(0.0, None, 3, GET) is None


def test_failed_hosts_go_last_and_rest_longer_each_time() -> None:
    """A host that fails again rests twice as long; a success clears its record."""
    a, b = Host("http://a"), Host("http://b")
    health = HostHealth([a, b], cooldown=5, max_cooldown=60)
    health.failed(a, now=0)
    assert health.order(now=4.9) == (b, a)
    assert health.order(now=5.0) == (a, b)
    health.failed(a, now=5)
    assert health.order(now=14.9) == (b, a)
    health.succeeded(a)
    health.failed(a, now=20)
    assert health.order(now=25) == (a, b)


def test_backoff_uses_the_given_randomness_and_clock() -> None:
    """Jitter comes from ``uniform``; an HTTP-date Retry-After is measured against ``now``."""
    assert backoff_delay(3, None, uniform=lambda low, high: high, now=0) == 0.4
    date = "Thu, 01 Jan 1970 00:00:10 GMT"
    assert backoff_delay(1, date, uniform=lambda low, high: 0, now=4.0) == 6.0
    assert backoff_delay(1, "31", uniform=lambda low, high: 0, now=0) is None


def test_every_form_of_a_secret_is_masked() -> None:
    """Raw, stripped, JSON-escaped and URL-encoded forms all become ***."""
    secret = 'to/ken+"x"=1'
    redact = Redactor([secret])
    text = f'{secret} {secret!r} "to/ken+\\"x\\"=1" to%2Fken%2B%22x%22%3D1'
    assert redact(text) == "*** '***' \"***\" ***"


def test_tokens_in_a_body_are_found_and_masked() -> None:
    """accessToken / refreshToken / antiCsrfToken values anywhere in JSON are secrets."""
    body = {"refreshToken": "r", "session": {"accessToken": {"token": "t"}}, "userId": "u"}
    assert sorted(secrets_in(body)) == ["r", "t"]
    assert mask_secret_fields(body) == {
        "refreshToken": "***",
        "session": {"accessToken": "***"},
        "userId": "u",
    }


def test_a_json_request_remembers_its_secrets() -> None:
    """CoreRequest.with_json collects the tokens it carries, and keeps them out of its repr."""
    request = CoreRequest.with_json(
        "POST",
        "/recipe/session/refresh",
        {"refreshToken": "rt-123"},
        recipe_id="session",
        idempotent=False,
    )
    assert request.secrets == ("rt-123",)
    assert "rt-123" not in repr(request)


@pytest.mark.parametrize("key", ["good-key-of-twenty-chars", "with inner space ok=="])
def test_header_safe_api_keys_pass(key: str) -> None:
    """Printable ASCII keys are accepted."""
    check_api_key(key)
