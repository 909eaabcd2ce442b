"""Generate the sync flavour of authclient from its async source code.

Usage: ``python tools/unasync.py [--check]`` (normally through ``nox -s generate``).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tokenize
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, Union

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

# --- Rename table -----------------------------------------------------------------------------
# Renames apply to identifiers only (names, attribute names, import paths and imported names),
# never inside strings or comments, with two exceptions: docstrings (whole-word replacement, so
# sync users read sync examples) and the strings of ``__all__`` (so the sync module exports the
# right names). Every NAMES entry and annotation rule (UNWRAP, PAD_NONE) must fire somewhere in
# the run, or ``--check`` fails with "unused rule: <name>": prune what the project no longer uses.
# PATTERN and MODULES always apply and are not counted. To add a rename, add a NAMES entry.
PATTERN = re.compile(r"^(_?)Async([A-Z]\w*)$")  # AsyncClient -> Client, _AsyncFoo -> _Foo
NAMES = {
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "AbstractAsyncContextManager": "AbstractContextManager",
    "aclose": "close",
    "aiter_bytes": "iter_bytes",
    "async_sleep": "sleep",
    "async_call_deadline": "call_deadline",
    "asynccontextmanager": "contextmanager",
}
MODULES = {
    "authclient.asyncio": "authclient.syncio",
    "tests.asyncio": "tests.syncio",
    "authclient._acompat": "authclient._compat",
}
# Docstring phrases that say which flavor the reader is in (applied before the word renames).
PHRASES = {
    "The async flavor of authclient (asyncio, uvloop and trio)": (
        "The sync flavor of authclient (scripts, threads, WSGI apps, gevent)"
    ),
    "This package is the hand-written source; ``authclient.syncio`` is generated from it.": (
        "This package is generated from ``authclient.asyncio`` by tools/unasync.py: never edit it."
    ),
}
# Annotation rules: UNWRAP turns Awaitable[X] into X (add "Coroutine" for Coroutine[Any, Any, X]);
# PAD_NONE = ("AsyncGenerator",) would turn AsyncGenerator[Y, S] into Generator[Y, S, None].
UNWRAP: tuple[str, ...] = ("Awaitable",)
PAD_NONE: tuple[str, ...] = ("AsyncGenerator",)
DIRS = {"authclient/asyncio": "authclient/syncio", "tests/asyncio": "tests/syncio"}
# -----------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    "# Generated from {src} by tools/unasync.py. "
    "Do not edit: edit the source and run `nox -s generate`.\n\n"
)
LEFTOVER = re.compile(r"^(async|await|anyio|asyncio)$|Async[A-Z]|async_|_async|aenter|aexit|aclose")
# In text, ``authclient.asyncio`` (naming the source) is allowed; the async words are not.
LEFTOVER_IN_TEXT = re.compile(
    r"\b(async|await|anyio)\b|(?<![./])\basyncio\b|Async[A-Z]\w*|\baclose\b|__a(enter|exit)__"
)
HINT = "Run `nox -s generate` to regenerate the sync code."
ImportT = TypeVar("ImportT", cst.Import, cst.ImportFrom)
Statements = Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement], cst.RemovalSentinel]


@dataclass(frozen=True)
class Rules:
    """The table above; tests pass their own (``dataclasses.replace(DEFAULT_RULES, ...)``)."""

    names: Mapping[str, str] = field(default_factory=lambda: dict(NAMES))
    phrases: Mapping[str, str] = field(default_factory=lambda: dict(PHRASES))
    modules: Mapping[str, str] = field(default_factory=lambda: dict(MODULES))
    unwrap: Sequence[str] = UNWRAP
    pad_none: Sequence[str] = PAD_NONE
    dirs: Mapping[str, str] = field(default_factory=lambda: dict(DIRS))
    pattern: re.Pattern[str] = PATTERN

    def rename(self, name: str) -> str:
        return self.names.get(name) or self.pattern.sub(r"\1\2", name)

    def all_rules(self) -> list[str]:
        return [*self.names, *self.phrases, *self.unwrap, *self.pad_none]


@dataclass
class Result:
    files: dict[str, str]  # output path (posix, relative to root) -> content
    unused: list[str]  # rules that never fired
    leftovers: list[str]  # "path:line: leftover token 'x'"


DEFAULT_RULES = Rules()


class UnasyncError(Exception):
    """A source file uses something the generator cannot translate."""


def _marker(test: cst.BaseExpression) -> bool | None:
    """True for ``ASYNC``, False for ``not ASYNC``, None for anything else."""
    if isinstance(test, cst.Name) and test.value == "ASYNC":
        return True
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return False if _marker(test.expression) else None
    return None


def _statements(suite: cst.BaseSuite) -> list[cst.BaseStatement]:
    if isinstance(suite, cst.IndentedBlock):
        return list(suite.body)
    assert isinstance(suite, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=suite.body)]


def _bound_name(alias: cst.ImportAlias) -> str:
    """The name an import binds: ``a`` for ``import a.b``, ``c`` for ``from a import b as c``."""
    target = alias.asname.name if alias.asname else alias.name
    return (get_full_name_for_node(target) or "").split(".")[0]


def _with_aliases(node: ImportT, aliases: list[cst.ImportAlias]) -> ImportT | cst.RemovalSentinel:
    if not aliases:
        return cst.RemoveFromParent()
    if isinstance(node.names, cst.ImportStar) or len(aliases) == len(node.names):
        return node
    aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=aliases)


def _names(node: cst.CSTNode | None) -> Counter[str]:
    found: Sequence[cst.CSTNode] = m.findall(node, m.Name()) if node is not None else ()
    return Counter(cst.ensure_type(name, cst.Name).value for name in found)


class _ResolveMarker(cst.CSTTransformer):
    """Pass 1: resolve ``if ASYNC:`` / ``if not ASYNC:`` and drop the ASYNC import."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path, self.allowed, self.removed = path, set[int](), set[str]()

    def _error(self, node: cst.CSTNode, message: str) -> UnasyncError:
        position = self.get_metadata(PositionProvider, node)
        assert isinstance(position, CodeRange)
        return UnasyncError(f"{self.path}:{position.start.line}: {message}")

    def visit_If(self, node: cst.If) -> None:
        if isinstance(node.orelse, cst.If) and _marker(node.orelse.test) is not None:
            raise self._error(node.orelse, "ASYNC is only supported as `if [not] ASYNC:`")
        if _marker(node.test) is not None:
            self.allowed |= {id(node.test), id(getattr(node.test, "expression", node.test))}

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = get_full_name_for_node(node.module) if node.module else ""
        if module == "authclient._compat" or (node.relative and module == "_compat"):
            for alias in () if isinstance(node.names, cst.ImportStar) else node.names:
                if _bound_name(alias) == "ASYNC" and alias.asname is None:
                    self.allowed.add(id(alias.name))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "ASYNC" and id(node) not in self.allowed:
            raise self._error(node, "unsupported use of ASYNC (only `if [not] ASYNC:`)")

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> Statements:
        kind = _marker(original_node.test)
        if kind is None:
            return updated_node
        orelse = updated_node.orelse
        self.removed |= set(_names(orelse if kind is False else original_node.body))
        body: list[cst.BaseStatement]
        if kind is False:
            body = _statements(updated_node.body)
        elif isinstance(orelse, cst.If):
            body = [orelse]
        elif isinstance(orelse, cst.Else):
            body = _statements(orelse.body)
        else:
            return cst.RemoveFromParent()
        lines = [*updated_node.leading_lines, *getattr(body[0], "leading_lines", ())]
        body[0] = body[0].with_changes(leading_lines=lines)
        return cst.FlattenSentinel(body)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        if updated_node.body:
            return updated_node
        return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        names, originals = updated_node.names, original_node.names
        if isinstance(names, cst.ImportStar) or isinstance(originals, cst.ImportStar):
            return updated_node
        keep = [a for a, o in zip(names, originals) if id(o.name) not in self.allowed]
        return _with_aliases(updated_node, keep)


def _assigns_all(stmt: cst.BaseSmallStatement) -> bool:
    targets: list[cst.BaseExpression] = []
    if isinstance(stmt, cst.Assign):
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, (cst.AugAssign, cst.AnnAssign)):
        targets = [stmt.target]
    return any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets)


def _restring(node: cst.SimpleString, change: Callable[[str], str]) -> cst.SimpleString:
    return node.with_changes(value=f"{node.prefix}{node.quote}{change(node.raw_value)}{node.quote}")


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else None


class _Unasync(cst.CSTTransformer):
    """Pass 2: drop async/await, apply the rename table and the annotation rules."""

    def __init__(self, rules: Rules, used: set[str]) -> None:
        super().__init__()
        self.rules, self.used, self.removed, self.in_all = rules, used, set[str](), False

    def rename(self, name: str) -> str:
        if name in self.rules.names:
            self.used.add(name)
        return self.rules.rename(name)

    def rename_text(self, text: str) -> str:
        # Phrases are swapped for placeholders first, so the word renames leave their new text be.
        placed: dict[str, str] = {}
        for index, (old, new) in enumerate(self.rules.phrases.items()):
            if old in text:
                placed[f"\0{index}\0"] = new
                text = text.replace(old, f"\0{index}\0")
                self.used.add(old)
        text = re.sub(r"\bawait[ \t]+", "", text)
        text = re.sub(r"\basync[ \t]+(def|for|with)\b", r"\1", text)
        for old, new in self.rules.modules.items():
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        text = re.sub(r"\b[A-Za-z_]\w*", lambda match: self.rename(match.group()), text)
        for placeholder, new in placed.items():
            text = text.replace(placeholder, new)
        return text

    def docstring(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        body = list(body)
        first = body[0] if body else None
        if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr):
            string = first.body[0].value
            if isinstance(string, cst.SimpleString):
                expr = first.body[0].with_changes(value=_restring(string, self.rename_text))
                body[0] = first.with_changes(body=[expr, *first.body[1:]])
        return body

    def _suite(self, suite: cst.BaseSuite) -> cst.BaseSuite:
        if isinstance(suite, cst.IndentedBlock):
            return suite.with_changes(body=self.docstring(suite.body))
        return suite

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self.docstring(updated_node.body))

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> Statements:
        return updated_node.with_changes(body=self._suite(updated_node.body))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> Statements:
        return updated_node.with_changes(body=self._suite(updated_node.body))

    def on_leave(self, original_node: cst.CSTNodeT, updated_node: cst.CSTNodeT) -> Any:
        # async def / async with / async for / async comprehensions all hold `asynchronous`.
        if getattr(updated_node, "asynchronous", None) is not None:
            updated_node = updated_node.with_changes(asynchronous=None)
        return super().on_leave(original_node, updated_node)

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await) -> cst.BaseExpression:
        expr = updated_node.expression
        lpar, rpar = [*updated_node.lpar, *expr.lpar], [*expr.rpar, *updated_node.rpar]
        return expr.with_changes(lpar=lpar, rpar=rpar)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.rename(updated_node.value))

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        new = self.rules.modules.get(get_full_name_for_node(original_node) or "")
        return cst.parse_expression(new) if new else updated_node

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        name, last = _last_name(original_node.value) or "", updated_node.slice[-1].slice
        if name in self.rules.unwrap and isinstance(last, cst.Index):
            self.used.add(name)
            self.removed.add(name)
            for element in original_node.slice[:-1]:  # Coroutine[Any, Any, X] may drop Any
                self.removed |= set(_names(element))
            return last.value
        if name in self.rules.pad_none:
            self.used.add(name)
            none = cst.SubscriptElement(cst.Index(cst.Name("None")))
            return updated_node.with_changes(slice=[*updated_node.slice, none])
        return updated_node

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.in_all = any(_assigns_all(stmt) for stmt in node.body)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Statements:
        self.in_all = False
        return updated_node

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        return _restring(updated_node, self.rename) if self.in_all else updated_node


class _PruneImports(cst.CSTTransformer):
    """Pass 3: drop imported names whose every reference the generator removed."""

    def __init__(self, unused: set[str]) -> None:
        super().__init__()
        self.unused = unused

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.RemovalSentinel:
        names = updated_node.names
        return _with_aliases(updated_node, [a for a in names if _bound_name(a) not in self.unused])

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        names, module = updated_node.names, updated_node.module
        if isinstance(names, cst.ImportStar) or (
            module and m.matches(module, m.Name("__future__"))
        ):
            return updated_node
        return _with_aliases(updated_node, [a for a in names if _bound_name(a) not in self.unused])


def transform(
    source: str, src: str, rules: Rules = DEFAULT_RULES, used: set[str] | None = None
) -> str:
    """Translate one async module (``src`` is its path, for the header); no formatting."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(source))
    except cst.ParserSyntaxError as exc:
        raise UnasyncError(f"{src}: {exc}") from exc
    resolver = _ResolveMarker(src)
    unasync = _Unasync(rules, set() if used is None else used)
    module = wrapper.visit(resolver).visit(unasync)
    # Imports used only by what the generator dropped (Awaitable, code under `if ASYNC:`) go too.
    removed = {rules.rename(name) for name in resolver.removed | unasync.removed}
    if removed:
        imports = m.findall(module, m.Import() | m.ImportFrom())
        referenced = _names(module) - sum((_names(node) for node in imports), Counter[str]())
        module = module.visit(_PruneImports({name for name in removed if not referenced[name]}))
    return (HEADER.format(src=src) + module.code.lstrip("\n")).rstrip("\n") + "\n"


def _ruff() -> list[str]:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    return [exe] if exe else [sys.executable, "-m", "ruff"]


def format_code(code: str, out: Path, root: Path) -> str:
    """Sort imports and format ``code`` with ruff as if it lived at ``out``."""
    # Renames change the sort order of imports and of __all__ (RUF022). --exit-zero: whatever
    # ruff cannot fix safely is left for the project lint to report.
    for args in (["check", "--select", "I,RUF022", "--fix", "--exit-zero"], ["format"]):
        cmd = [*_ruff(), *args, "--no-cache", "--stdin-filename", str(out), "-"]
        proc = subprocess.run(cmd, input=code.encode(), capture_output=True, cwd=root, check=False)
        if proc.returncode != 0:
            raise UnasyncError(f"ruff {args[0]} failed on {out}: {proc.stderr.decode().strip()}")
        code = proc.stdout.decode()
    return code


def leftover_tokens(code: str) -> list[tuple[int, str]]:
    """(line, token) for each name, or word in a string, that betrays async code.

    Names are searched whole and inside (``_AbstractAsyncThing``, ``run_async_x``); strings
    (docstrings, messages) for the async words, so the sync flavor never talks async.
    """
    found: list[tuple[int, str]] = []
    for t in tokenize.generate_tokens(io.StringIO(code).readline):
        if t.type == tokenize.NAME and LEFTOVER.search(t.string):
            found.append((t.start[0], t.string))
        elif t.type == tokenize.STRING:
            for match in LEFTOVER_IN_TEXT.finditer(t.string):
                line = t.start[0] + t.string.count("\n", 0, match.start())
                found.append((line, match.group()))
    return found


def generate(root: Path = ROOT, rules: Rules = DEFAULT_RULES) -> Result:
    """Generate every output file in memory; usage of the rules is counted over all of them."""
    used: set[str] = set()
    files: dict[str, str] = {}
    leftovers: list[str] = []
    for src_dir, out_dir in rules.dirs.items():
        sources = sorted((root / src_dir).rglob("*.py")) if (root / src_dir).is_dir() else []
        for path in sources:
            rel = path.relative_to(root / src_dir).as_posix()
            src, out = f"{src_dir}/{rel}", f"{out_dir}/{rel}"
            code = transform(path.read_text(encoding="utf-8"), src, rules, used)
            files[out] = code = format_code(code, root / out, root)
            leftovers += [f"{out}:{n}: leftover token {t!r}" for n, t in leftover_tokens(code)]
    unused = [rule for rule in rules.all_rules() if rule not in used]
    return Result(files, unused, leftovers)


def stale_files(root: Path, result: Result, rules: Rules = DEFAULT_RULES) -> list[str]:
    """Files in the output folders that the generator did not produce (caches ignored)."""
    found: list[str] = []
    for out_dir in rules.dirs.values():
        paths = (root / out_dir).rglob("*") if (root / out_dir).is_dir() else iter(())
        for path in paths:
            rel = path.relative_to(root).as_posix()
            ignored = "__pycache__" in path.parts or path.suffix == ".pyc" or path.is_dir()
            if not ignored and rel not in result.files:
                found.append(rel)
    return sorted(found)


def run(root: Path = ROOT, rules: Rules = DEFAULT_RULES, *, check: bool = False) -> int:
    """Generate (or with ``check``, verify) the sync code; print problems; return an exit code."""
    try:
        result = generate(root, rules)
    except UnasyncError as exc:
        print(f"error: {exc}")
        return 1
    stale = stale_files(root, result, rules)
    unused = [f"unused rule: {rule}" for rule in result.unused]
    if check:
        problems = [*result.leftovers, *unused, *(f"{s}: stale, not generated" for s in stale)]
        for out, code in result.files.items():
            if not (root / out).is_file():
                problems.append(f"{out}: missing")
            elif (root / out).read_bytes() != code.encode():
                problems.append(f"{out}: out of date")
        print("\n".join([*problems, HINT] if problems else ["sync code is up to date"]))
        return 1 if problems else 0
    if result.leftovers:
        print("\n".join([*result.leftovers, "error: nothing written"]))
        return 1
    for out, code in result.files.items():
        path = root / out
        if not path.is_file() or path.read_bytes() != code.encode():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(code.encode())
            print(f"wrote {out}")
    for rel in stale:
        (root / rel).unlink()
        print(f"deleted {rel}")
    print(f"{len(result.files)} files generated")
    if unused:
        print("\n".join(unused))
    return 1 if unused else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the sync code is outdated")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # for tests
    args = parser.parse_args(argv)
    return run(args.root, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
