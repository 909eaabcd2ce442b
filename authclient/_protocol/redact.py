"""Keeping secrets (the api key, every token a request carries) out of errors and logs.

A core, or a proxy in front of it, may echo a request back in an error page, quoted, escaped or
URL-encoded; every such form of each secret is replaced by ``***``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Optional, cast
from urllib.parse import quote, quote_plus

SECRET_FIELDS = frozenset({"accessToken", "refreshToken", "antiCsrfToken", "token", "jwt"})
"""JSON fields whose values are secrets, in requests to the core and in its answers."""

MASK = "***"


def secret_forms(secret: str) -> set[str]:
    """The ways ``secret`` can appear in text that quotes it back."""
    forms = {secret, secret.strip(), json.dumps(secret)[1:-1], repr(secret)[1:-1]}
    forms |= {quote(secret, safe=""), quote_plus(secret), quote(secret)}
    return {form for form in forms if form}


class Redactor:
    """Replaces every form of the given secrets in a text with ``***``.

    The forms are worked out on first use: a call that succeeds never needs them.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(secret for secret in secrets if secret)
        self._forms: Optional[list[str]] = None

    def __call__(self, text: str) -> str:
        if self._forms is None:
            forms: set[str] = set()
            for secret in self._secrets:
                forms |= secret_forms(secret)
            # Longest first, so a secret that contains another is masked whole.
            self._forms = sorted(forms, key=len, reverse=True)
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
        return text

    def with_secrets(self, secrets: Iterable[str]) -> Redactor:
        more = tuple(secret for secret in secrets if secret)
        return Redactor((*self._secrets, *more)) if more else self


def secrets_in(value: Any) -> list[str]:
    """The string values of ``SECRET_FIELDS`` anywhere in a JSON value."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in cast("dict[str, Any]", item).items():
                if key in SECRET_FIELDS and isinstance(inner, str):
                    found.append(inner)
                else:
                    stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)  # pyright: ignore[reportUnknownArgumentType]
    return found


def mask_secret_fields(value: Any) -> Any:
    """A copy of a JSON value with every ``SECRET_FIELDS`` value replaced by ``***``."""
    if isinstance(value, dict):
        return {
            key: MASK if key in SECRET_FIELDS and inner is not None else mask_secret_fields(inner)
            for key, inner in cast("dict[str, Any]", value).items()
        }
    if isinstance(value, list):
        return [mask_secret_fields(inner) for inner in value]  # pyright: ignore[reportUnknownVariableType]
    return value
