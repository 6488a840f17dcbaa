"""The direction of imports, checked statically: every import between our modules, read from the source with ``ast``.

Each module lives in a ROOM (:data:`ROOMS`); a room may import itself and the rooms its entry lists, nothing else
of ours. :func:`check` parses every ``.py`` file under ``verify/``, ``numeric/`` and ``proofs/`` and collects
EVERY import — module level, inside functions, under ``if TYPE_CHECKING``, in ``try``/``except``; relative imports
resolved; ``import_module("…")`` / ``__import__("…")`` with a literal name — as (importing module, imported
module, line). It reports

* each import of one of our modules that the importer's room may not make,
* each import of a library a room bans (``proofs``: the standard library and python-flint only; ``numeric``: no
  flint, sympy, z3 or cvc5),
* each module of ours that no room holds (a new subpackage needs its entry in :data:`ROOMS`),
* each cycle in the graph between rooms (room A imports room B imports … room A).

What a clean report does NOT mean: names loaded from a registry of dotted strings (``"numeric.conformance:…"``,
``f"verify.cli.{name}"``) are not imports the parser can see, and a clean tree may still load a heavy library at
import time — ``tests/unit/test_import_direction.py`` checks that in a fresh interpreter.

>>> from pathlib import Path
>>> check(Path(".")).lines()        # doctest: +SKIP
[]
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Room:
    """A room: its modules (``"a.b"`` is that module only, ``"a.b.*"`` the package ``a.b`` and all below it),
    the other rooms it may import, and the libraries it may use: stdlib + ``only_libraries`` when that is set,
    never ``banned_libraries``."""

    name: str
    modules: tuple[str, ...]
    may_import: tuple[str, ...]
    only_libraries: frozenset[str] | None = None
    banned_libraries: frozenset[str] = frozenset()


_SOLVERS = frozenset({"flint", "sympy", "z3", "cvc5"})
_LIGHT = _SOLVERS | {"torch"}   # the pure model that numeric/ loads: no solver, no torch

ROOMS = (
    Room("proofs", ("proofs.*",), (), only_libraries=frozenset({"flint"})),
    Room("base", ("verify.errors", "verify.verdict"), (), banned_libraries=_LIGHT),
    Room("infra", ("verify.infra.*",), ("base",), banned_libraries=_LIGHT),
    Room("problems", ("verify.problems.*",), ("base", "proofs"), banned_libraries=_LIGHT),
    Room("claims", ("verify.claims.*",), ("base",), banned_libraries=_LIGHT),
    Room("numeric", ("numeric.*",), ("base", "problems"), banned_libraries=_SOLVERS),
    Room("exact", ("verify.exact.*",), ("base", "infra", "problems", "claims"), banned_libraries=frozenset({"torch"})),
    Room("certify", ("verify.certify.*",), ("base", "infra", "problems", "claims", "exact", "proofs"),
         banned_libraries=frozenset({"torch"})),
    Room("testing", ("verify.testing.*",), ("base", "infra", "problems", "claims", "exact", "certify", "proofs")),
    Room("run", ("verify.run.*",),
         ("base", "infra", "problems", "claims", "exact", "certify", "testing", "numeric", "proofs")),
    Room("reproduce", ("verify.reproduce.*",),
         ("base", "infra", "problems", "claims", "exact", "certify", "testing", "numeric", "proofs", "run")),
    Room("cli", ("verify.cli.*",),
         ("base", "infra", "problems", "claims", "exact", "certify", "testing", "numeric", "proofs", "run",
          "reproduce")),
    Room("facade", ("verify", "verify.strategies"),
         ("base", "infra", "problems", "claims", "exact", "certify", "testing", "numeric", "proofs", "run",
          "reproduce", "cli")),
)
"""The rooms, bottom-up, and the direction of imports between them: DESIGN.md, "Layers, folders and the direction
of imports". ``proofs`` imports nothing of ours; ``problems`` reads certificates' problem form through ``proofs``;
``numeric`` sees only the pure problem model and the base status/error types; ``certify`` emits what ``proofs``
re-checks and never imports ``numeric``; ``facade`` (the ``verify`` package and ``verify.strategies``) may import
anything and is imported by no room."""

ROOTS = ("verify", "numeric", "proofs")
"""The top-level packages that are ours: their files are read, imports of them are checked."""


@dataclass(frozen=True)
class Import:
    """``importer`` (in ``path``, relative to the tree's root) imports ``imported`` at ``line``."""

    path: str
    line: int
    importer: str
    imported: str

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Findings:
    """What :func:`check` found; empty lists mean the tree follows :data:`ROOMS`."""

    violations: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    cycles: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return self.unknown + self.violations + self.libraries + self.cycles


def room_of(module: str) -> Room | None:
    """The room holding ``module``: the entry with the longest matching pattern, or None."""
    best, best_len = None, -1
    for room in ROOMS:
        for pattern in room.modules:
            base = pattern.removesuffix(".*")
            hit = module == base or (pattern.endswith(".*") and module.startswith(base + "."))
            if hit and len(base) > best_len:
                best, best_len = room, len(base)
    return best


def module_name(relpath: Path) -> str:
    """``verify/run/check.py`` → ``verify.run.check``; ``verify/run/__init__.py`` → ``verify.run``."""
    parts = list(relpath.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of ``from <'.' * level><name> import …`` written in ``module``."""
    anchor = _package(module, is_package).split(".")
    if level > 1:
        anchor = anchor[: len(anchor) - (level - 1)]
    return ".".join(anchor + ([name] if name else []))


def _literal_import(node: ast.Call) -> str | None:
    """The literal module name of ``import_module("…")``, ``importlib.import_module("…")`` or ``__import__("…")``."""
    func = node.func
    called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if called not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imports_in(source: str, path: str, module: str, is_package: bool, known: set[str]) -> list[Import]:
    """Every import in one file's ``source``, wherever it stands. ``from X import a`` imports ``X.a`` when that is a
    module of the tree (``known``), ``X`` otherwise."""
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, module, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module) if node.level else node.module
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append(Import(path, node.lineno, module, sub if sub in known else base))
        elif isinstance(node, ast.Call) and (name := _literal_import(node)):
            level = len(name) - len(name.lstrip("."))
            target = _resolve(module, True, level, name[level:] or None) if level else name
            found.append(Import(path, node.lineno, module, target))
    return list(dict.fromkeys(found))


def collect(root: Path) -> list[Import]:
    """Every import in every ``.py`` file under ``root``'s ``verify/``, ``numeric/`` and ``proofs/``."""
    files = sorted(p for top in ROOTS for p in (root / top).rglob("*.py"))
    modules = {p: module_name(p.relative_to(root)) for p in files}
    known = set(modules.values())
    found = []
    for p, module in modules.items():
        rel = p.relative_to(root).as_posix()
        found += imports_in(p.read_text(encoding="utf-8"), rel, module, p.name == "__init__.py", known)
    return found


def _may(room: Room) -> str:
    return ", ".join((room.name,) + room.may_import) if room.may_import else "nothing of ours"


def _library_finding(imp: Import, room: Room) -> str | None:
    top = imp.imported.split(".")[0]
    if room.only_libraries is not None and top not in sys.stdlib_module_names and top not in room.only_libraries:
        allowed = ", ".join(sorted(room.only_libraries))
        return (f"{imp.where()}: {imp.importer} (room {room.name}) imports {imp.imported}; "
                f"{room.name} may use only the standard library and: {allowed}")
    if top in room.banned_libraries:
        banned = ", ".join(sorted(room.banned_libraries))
        return (f"{imp.where()}: {imp.importer} (room {room.name}) imports {imp.imported}; "
                f"{room.name} may not use: {banned}")
    return None


def _shortest_cycle(edges: dict[str, dict], start: str, inside: set[str]) -> list[str]:
    """A shortest ``[start, …, start]`` through the rooms ``inside`` (breadth first); ``start`` lies on a cycle."""
    paths, seen = [[start]], {start}
    while True:
        path = paths.pop(0)
        nxt = [w for w in sorted(edges.get(path[-1], {})) if w in inside]
        if start in nxt:
            return path + [start]
        for w in nxt:
            if w not in seen:
                seen.add(w)
                paths.append(path + [w])


def room_cycles(edges: dict[str, dict]) -> list[list[str]]:
    """The cycles ``[a, b, …, a]`` between rooms in ``edges`` (room → room → an import that makes the edge): the
    strongly connected sets of two or more rooms (Tarjan's algorithm), and in each the shortest cycle through
    each of its rooms, each cycle once."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            components.append(sorted(component + [v]))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    cycles, seen_edges = [], set()
    for component in sorted(c for c in components if len(c) > 1):
        for start in component:
            cycle = _shortest_cycle(edges, start, set(component))
            key = frozenset(zip(cycle, cycle[1:]))
            if key not in seen_edges:
                seen_edges.add(key)
                cycles.append(cycle)
    return cycles


def check(root: Path) -> Findings:
    """Check the tree at ``root`` against :data:`ROOMS` (see the module docstring for what is reported)."""
    findings = Findings()
    edges: dict[str, dict[str, Import]] = {}
    unknown: dict[str, str] = {}
    for imp in collect(root):
        source = room_of(imp.importer)
        if source is None:
            unknown.setdefault(imp.importer, imp.path)
            continue
        if imp.imported.split(".")[0] not in ROOTS:
            if (finding := _library_finding(imp, source)) is not None:
                findings.libraries.append(finding)
            continue
        target = room_of(imp.imported)
        if target is None:
            unknown.setdefault(imp.imported, imp.where())
            continue
        if target is source:
            continue
        edges.setdefault(source.name, {}).setdefault(target.name, imp)
        if target.name not in source.may_import:
            findings.violations.append(
                f"{imp.where()}: {imp.importer} (room {source.name}) imports {imp.imported} (room {target.name}); "
                f"{source.name} may import only: {_may(source)}")
    findings.unknown = [f"{where}: module {module} is in no room; add a room for it to ROOMS in "
                        f"verify/testing/layering.py (DESIGN.md, \"Layers, folders and the direction of imports\")"
                        for module, where in sorted(unknown.items())]
    for cycle in room_cycles(edges):
        steps = "; ".join(f"{a} → {b}: {edges[a][b].where()} {edges[a][b].importer} imports {edges[a][b].imported}"
                          for a, b in zip(cycle, cycle[1:]))
        findings.cycles.append(f"room cycle {' → '.join(cycle)} ({steps})")
    return findings
