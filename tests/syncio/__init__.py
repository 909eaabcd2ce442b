# Generated from tests/asyncio/__init__.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.
