"""Runnable examples (``python -m examples.fastapi_app``); tests/browser drives them in Chromium."""
