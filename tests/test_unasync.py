"""Tests for tools/unasync.py, the generator of the sync code, on small throwaway source trees."""

from __future__ import annotations

import dataclasses
import importlib.machinery
import importlib.util
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "unasync.py"


def _load() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("unasync", str(TOOL))
    spec = importlib.util.spec_from_loader("unasync", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["unasync"] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


unasync = _load()
# The project's table only holds the rules its sources use; these tests exercise every kind.
RULES = dataclasses.replace(
    unasync.DEFAULT_RULES, unwrap=("Awaitable", "Coroutine"), pad_none=("AsyncGenerator",)
)
PYPROJECT = """\
[tool.ruff]
line-length = 100
target-version = "py39"

[tool.ruff.lint.isort]
known-first-party = ["authclient", "tests"]
"""
HEADER = (
    "# Generated from {} by tools/unasync.py. "
    "Do not edit: edit the source and run `nox -s generate`.\n\n"
)


def make_tree(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def convert(
    tmp_path: Path,
    source: str,
    name: str = "authclient/asyncio/mod.py",
    leftovers: Sequence[str] = (),
) -> str:
    """The generated sync code for one async module (the rest of the tree is empty).

    ``leftovers`` are the async words the check must report in it (in strings the test keeps).
    """
    result = unasync.generate(make_tree(tmp_path, {name: source}), RULES)
    out = name.replace("/asyncio/", "/syncio/")
    assert list(result.files) == [out]
    assert [line.split("leftover token ")[1].strip("'") for line in result.leftovers] == list(
        leftovers
    )
    code: str = result.files[out]
    assert code.startswith(HEADER.format(name))
    # ruff wants two blank lines between the header comment and a top-level def or class.
    return code[len(HEADER.format(name)) :].removeprefix("\n")


def run(root: Path, *, check: bool, rules: object = None) -> int:
    code: int = unasync.run(root, rules or RULES, check=check)
    return code


# A tree that uses every default rule, so that `--check` passes on it.
COMPLETE = {
    "authclient/asyncio/__init__.py": """\
        \"\"\"The async flavor of authclient (asyncio, uvloop and trio).

        This package is the hand-written source; ``authclient.syncio`` is generated from it.
        \"\"\"

        from authclient.asyncio._client import AsyncClient

        __all__ = ["AsyncClient"]
    """,
    "authclient/asyncio/_client.py": """\
        from __future__ import annotations

        from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Coroutine
        from contextlib import AbstractAsyncContextManager, asynccontextmanager
        from typing import Any

        from .._compat import async_call_deadline, async_sleep


        class AsyncClient:
            async def __aenter__(self) -> AsyncClient:
                return self

            async def __aexit__(self, *args: object) -> None:
                await self.aclose()

            async def aclose(self) -> None:
                await async_sleep(0)

            async def aread(self) -> Awaitable[bytes]: ...

            async def body(self, response: Any) -> None:
                with async_call_deadline(None):
                    async for _chunk in response.aiter_bytes():
                        pass

            def __aiter__(self) -> AsyncIterator[int]:
                return self

            async def gen(self) -> AsyncGenerator[int, None]:
                yield 1

            def coro(self) -> Coroutine[Any, Any, int]: ...


        @asynccontextmanager
        async def opened() -> AsyncIterator[AsyncClient]:
            yield AsyncClient()


        def opener() -> AbstractAsyncContextManager[AsyncClient]:
            return opened()
    """,
    "tests/asyncio/__init__.py": "",
    "tests/asyncio/test_client.py": """\
        from authclient.asyncio import AsyncClient


        async def test_client() -> None:
            async with AsyncClient() as client:
                assert client
    """,
}


# --- transformations ----------------------------------------------------------------------------


def test_header_goes_above_docstring_and_future_import(tmp_path: Path) -> None:
    code = convert(tmp_path, '"""Docs."""\n\nfrom __future__ import annotations\n\nX = 1\n')
    assert code == '"""Docs."""\n\nfrom __future__ import annotations\n\nX = 1\n'
    code = convert(tmp_path, "from __future__ import annotations\n\nX = 1\n")
    assert code == "from __future__ import annotations\n\nX = 1\n"


def test_header_names_the_source_of_tests(tmp_path: Path) -> None:
    code = convert(tmp_path, "X = 1\n", name="tests/asyncio/test_metadata.py")
    assert code == "X = 1\n"


def test_renames_code_but_not_strings_or_comments(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        from .._compat import AsyncLock, _AsyncFoo


        class AsyncThing(_AsyncFoo):  # AsyncThing stays in comments
            name = "AsyncThing aclose"

            async def aclose(self) -> None:
                self.lock = AsyncLock()
                await self.inner.aclose()
        """,
        leftovers=["AsyncThing", "aclose"],
    )
    assert "from .._compat import Lock, _Foo\n" in code
    assert "class Thing(_Foo):  # AsyncThing stays in comments\n" in code
    assert 'name = "AsyncThing aclose"' in code
    assert "def close(self) -> None:" in code
    assert "self.lock = Lock()" in code
    assert "self.inner.close()" in code


def test_docstrings_are_renamed(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        '''\
        """Use ``async with AsyncClient() as c: await c.aclose()``."""


        class AsyncClient:
            """Example: ``async for x in AsyncClient(): ...``."""

            async def aclose(self) -> None:
                """Like ``async def aclose`` in authclient.asyncio; awaits nothing."""
                x = "async with AsyncClient()"
        ''',
        leftovers=["async", "AsyncClient"],
    )
    assert '"""Use ``with Client() as c: c.close()``."""' in code
    assert '"""Example: ``for x in Client(): ...``."""' in code
    assert '"""Like ``def close`` in authclient.syncio; awaits nothing."""' in code
    assert 'x = "async with AsyncClient()"' in code


def test_init_with_all_round_trips(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        \"\"\"The flavour.\"\"\"

        from authclient.asyncio._client import AsyncClient
        from authclient.asyncio._transport import AsyncHTTPTransport, init

        __all__ = ["AsyncClient", "AsyncHTTPTransport", "init"]
        """,
        name="authclient/asyncio/__init__.py",
    )
    assert code == (
        '"""The flavour."""\n\n'
        "from authclient.syncio._client import Client\n"
        "from authclient.syncio._transport import HTTPTransport, init\n\n"
        '__all__ = ["Client", "HTTPTransport", "init"]\n'
    )


def test_httpx_and_module_paths(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        import httpx

        import authclient.asyncio
        from authclient.asyncio._transport import AsyncHTTPTransport
        from tests.asyncio.helpers import make_client

        from ._default import AsyncDefault


        def f() -> httpx.AsyncClient:
            authclient.asyncio.init()
            return httpx.AsyncClient(transport=AsyncHTTPTransport())
        """,
        name="tests/asyncio/test_x.py",
    )
    assert "import authclient.syncio\n" in code
    assert "from authclient.syncio._transport import HTTPTransport\n" in code
    assert "from tests.syncio.helpers import make_client\n" in code
    assert "from ._default import Default\n" in code
    assert "def f() -> httpx.Client:\n" in code
    assert "authclient.syncio.init()\n" in code
    assert "return httpx.Client(transport=HTTPTransport())\n" in code


def test_async_syntax_is_removed(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        async def f(client, stream):
            async with client:
                async for chunk in stream:
                    await chunk.save()
            values = [await x async for x in stream]
            return (await client.get()).json()
        """,
    )
    assert code == (
        "def f(client, stream):\n"
        "    with client:\n"
        "        for chunk in stream:\n"
        "            chunk.save()\n"
        "    values = [x for x in stream]\n"
        "    return (client.get()).json()\n"
    )


@pytest.mark.parametrize(
    "module", ["authclient._compat", ".._compat", "._compat"], ids=["absolute", "up", "sibling"]
)
def test_async_marker(tmp_path: Path, module: str) -> None:
    code = convert(
        tmp_path,
        f"""\
        from {module} import ASYNC


        def f() -> str:
            if ASYNC:
                kind = "async"
            else:
                kind = "sync"
                kind += "!"
            if ASYNC:
                kind += " only async"
            if not ASYNC:
                kind += " only sync"
            else:
                kind += " not sync"
            return kind


        if ASYNC:
            X = 1
        """,
    )
    assert code == (
        'def f() -> str:\n    kind = "sync"\n    kind += "!"\n    kind += " only sync"\n'
        "    return kind\n"
    )


def test_async_marker_keeps_other_imported_names(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        "from .._compat import ASYNC, AsyncLock\n\nif ASYNC:\n    pass\nLOCK = AsyncLock()\n",
    )
    assert code == "from .._compat import Lock\n\nLOCK = Lock()\n"


def test_async_marker_as_only_statement_leaves_a_valid_block(tmp_path: Path) -> None:
    code = convert(
        tmp_path, "from .._compat import ASYNC\n\n\ndef f():\n    if ASYNC:\n        x = 1\n"
    )
    assert code == "def f():\n    pass\n"


@pytest.mark.parametrize("use", ["X = ASYNC", "if ASYNC and True:\n    pass", "f(ASYNC)"])
def test_other_uses_of_async_marker_are_errors(tmp_path: Path, use: str) -> None:
    make_tree(tmp_path, {"authclient/asyncio/m.py": f"from .._compat import ASYNC\n\n{use}\n"})
    with pytest.raises(unasync.UnasyncError, match=r"authclient/asyncio/m\.py:3: .*ASYNC"):
        unasync.generate(tmp_path)
    assert run(tmp_path, check=True) == 1


def test_annotation_rules_and_unused_typing_imports(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        import typing
        from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable
        from typing import Any, Callable, Coroutine, Optional


        def f(
            cb: Callable[[], Awaitable[None]], t: typing.Awaitable[int]
        ) -> Coroutine[Any, Any, Optional[int]]: ...
        def g() -> AsyncGenerator[int, str]: ...
        def h(x: AsyncIterable[int]) -> AsyncIterator[bytes]: ...
        """,
    )
    assert "from collections.abc import Generator, Iterable, Iterator\n" in code
    # Any went with Coroutine; Callable is still used; Optional is kept.
    assert "from typing import Callable, Optional\n" in code
    assert "def f(cb: Callable[[], None], t: int) -> Optional[int]: ..." in code
    assert "def g() -> Generator[int, str, None]: ..." in code
    assert "def h(x: Iterable[int]) -> Iterator[bytes]: ..." in code


def test_only_names_the_generator_dropped_are_pruned(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        from typing import Any, Awaitable, Coroutine, Unused

        X: Awaitable[Any]
        Y: Awaitable[int]
        Z: Coroutine
        """,
    )
    assert code.startswith("from typing import Any, Coroutine, Unused\n")
    assert "X: Any\nY: int\nZ: Coroutine\n" in code


def test_import_that_becomes_empty_is_dropped(tmp_path: Path) -> None:
    code = convert(tmp_path, "from typing import Awaitable\n\nX: Awaitable[int]\n")
    assert code == "X: int\n"


def test_imports_used_only_under_async_marker_are_dropped(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        """\
        import anyio
        import os
        import pytest

        from authclient._compat import ASYNC, AsyncLock

        if ASYNC:
            pytestmark = pytest.mark.anyio
            LOCK = AsyncLock()
            anyio.run(main)
        """,
        name="tests/asyncio/test_x.py",
    )
    assert code == "import os\n"  # os is unused in the source too: not the generator's business


def test_sorted_after_renaming(tmp_path: Path) -> None:
    code = convert(
        tmp_path,
        'from x import AsyncZeta, Beta\n\n__all__ = ["AsyncZeta", "Beta"]\n',
        name="authclient/asyncio/__init__.py",
    )
    assert code == 'from x import Beta, Zeta\n\n__all__ = ["Beta", "Zeta"]\n'


# --- check and write ----------------------------------------------------------------------------


def test_write_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(tmp_path, COMPLETE)
    assert run(tmp_path, check=True) == 1  # nothing generated yet
    assert "authclient/syncio/_client.py: missing" in capsys.readouterr().out
    assert run(tmp_path, check=False) == 0
    assert "wrote tests/syncio/test_client.py" in capsys.readouterr().out
    assert run(tmp_path, check=True) == 0
    assert (tmp_path / "tests/syncio/__init__.py").is_file()
    written = (tmp_path / "authclient/syncio/_client.py").read_text()
    assert written.startswith(HEADER.format("authclient/asyncio/_client.py"))
    assert "from collections.abc import Generator, Iterator\n" in written


def test_cli(tmp_path: Path) -> None:
    make_tree(tmp_path, COMPLETE)
    cmd = [sys.executable, str(TOOL), "--root", str(tmp_path)]
    failed = subprocess.run([*cmd, "--check"], capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "nox -s generate" in failed.stdout
    assert subprocess.run(cmd, capture_output=True, check=False).returncode == 0
    assert subprocess.run([*cmd, "--check"], capture_output=True, check=False).returncode == 0


def test_stale_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(tmp_path, COMPLETE)
    assert run(tmp_path, check=False) == 0
    cache = tmp_path / "tests/syncio/__pycache__"
    cache.mkdir()
    (cache / "test_client.cpython-312.pyc").write_bytes(b"")
    (tmp_path / "authclient/syncio/old.pyc").write_bytes(b"")
    assert run(tmp_path, check=True) == 0
    (tmp_path / "tests/syncio/test_extra.py").write_text("X = 1\n")
    (tmp_path / "authclient/syncio/notes.txt").write_text("hi\n")
    capsys.readouterr()
    assert run(tmp_path, check=True) == 1
    out = capsys.readouterr().out
    assert "tests/syncio/test_extra.py: stale" in out
    assert "authclient/syncio/notes.txt: stale" in out
    assert "__pycache__" not in out
    assert run(tmp_path, check=False) == 0
    assert "deleted tests/syncio/test_extra.py" in capsys.readouterr().out
    assert not (tmp_path / "tests/syncio/test_extra.py").exists()
    assert (cache / "test_client.cpython-312.pyc").exists()
    assert run(tmp_path, check=True) == 0


def test_missing_and_modified_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(tmp_path, COMPLETE)
    assert run(tmp_path, check=False) == 0
    (tmp_path / "tests/syncio/test_client.py").unlink()
    client = tmp_path / "authclient/syncio/_client.py"
    client.write_text(client.read_text() + "# edited by hand\n")
    capsys.readouterr()
    assert run(tmp_path, check=True) == 1
    out = capsys.readouterr().out
    assert "tests/syncio/test_client.py: missing" in out
    assert "authclient/syncio/_client.py: out of date" in out
    assert "nox -s generate" in out
    assert run(tmp_path, check=False) == 0
    assert "wrote authclient/syncio/_client.py" in capsys.readouterr().out
    assert run(tmp_path, check=True) == 0


def test_unused_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A rule used in only one file of the run counts as used.
    make_tree(tmp_path, COMPLETE)
    assert run(tmp_path, check=False) == 0
    rules = dataclasses.replace(
        unasync.DEFAULT_RULES, names={**unasync.NAMES, "adrain": "drain"}, unwrap=("Awaitable",)
    )
    capsys.readouterr()
    assert run(tmp_path, check=True, rules=rules) == 1
    out = capsys.readouterr().out
    assert "unused rule: adrain\n" in out
    assert "unused rule" not in out.replace("unused rule: adrain", "")
    # Coroutine[...] no longer fires: output differs, and an unused annotation rule is reported.
    rules = dataclasses.replace(unasync.DEFAULT_RULES, unwrap=("Awaitable", "Coroutine", "Foo"))
    assert run(tmp_path, check=True, rules=rules) == 1
    assert "unused rule: Foo\n" in capsys.readouterr().out


def test_unused_rules_in_custom_table(tmp_path: Path) -> None:
    make_tree(tmp_path, {"authclient/asyncio/m.py": "async def f(x):\n    await x.aclose()\n"})
    rules = unasync.Rules(
        names={"aclose": "close", "aread": "read"}, phrases={}, unwrap=("Awaitable",), pad_none=()
    )
    result = unasync.generate(tmp_path, rules)
    assert result.unused == ["aread", "Awaitable"]
    assert result.files["authclient/syncio/m.py"].endswith("def f(x):\n    x.close()\n")


def test_leftover_tokens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = """\
        import anyio


        async def f() -> None:
            await anyio.sleep(1)
            x = "anyio and async and AsyncClient in a string"  # and await in a comment
    """
    make_tree(tmp_path, {**COMPLETE, "authclient/asyncio/bad.py": source})
    assert run(tmp_path, check=False) == 1
    out = capsys.readouterr().out
    assert "authclient/syncio/bad.py:3: leftover token 'anyio'" in out
    assert "authclient/syncio/bad.py:7: leftover token 'anyio'" in out
    # Strings are searched too (a message that says "async" in the sync flavor); comments not.
    for word in ("anyio", "async", "AsyncClient"):
        assert f"authclient/syncio/bad.py:8: leftover token '{word}'" in out
    assert out.count("leftover token") == 5
    assert not (tmp_path / "authclient/syncio").exists()  # nothing written
    assert run(tmp_path, check=True) == 1
    assert "leftover token 'anyio'" in capsys.readouterr().out


def test_leftover_token_patterns() -> None:
    """Async words whole or inside a name, and in strings; ``authclient.asyncio`` may be named."""
    code = (
        "async_x = 1\nAsyncio = 2\nAsyncFoo = 3\n_AsyncBar = 4\nrun_async_y = 5\n"
        "_AbstractAsyncThing = 6\nprint(f'{await}')\n"
        "msg = 'made from authclient.asyncio, see authclient/asyncio; not asyncio'\n"
    )
    found = [token for _, token in unasync.leftover_tokens(code)]
    assert found == [
        "async_x",
        "AsyncFoo",
        "_AsyncBar",
        "run_async_y",
        "_AbstractAsyncThing",
        "await",
        "asyncio",
    ]


def test_output_is_formatted(tmp_path: Path) -> None:
    code = convert(tmp_path, "async def f(a,b):\n  return await g(a,\n  b)\n")
    assert code == "def f(a, b):\n    return g(a, b)\n"


def test_output_is_stable_under_ruff(tmp_path: Path) -> None:
    make_tree(tmp_path, COMPLETE)
    assert run(tmp_path, check=False) == 0
    for args in (["format", "--check"], ["check", "--select", "I"]):
        cmd = [*unasync._ruff(), *args, "--no-cache", "authclient/syncio", "tests/syncio"]
        proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_is_found() -> None:
    command = unasync._ruff()
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("ruff ")
