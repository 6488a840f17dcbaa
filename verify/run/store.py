"""The results of a sweep in SQLite: one row per (instance, claim), written in one transaction each.

Key: the instance's content hash (sha256 of its canonical problem JSON,
:func:`verify.problems.canonical.canonical_problem_hash`) and the claim. A row is inserted with ``INSERT OR IGNORE``
inside its own transaction, after the answer is known: a sweep killed (even by SIGKILL) between two commits loses
only the instances still running, and a re-run skips every key already present, so a resumed sweep neither loses nor
duplicates a row. The certificate, when the answer has one, is stored beside the row (JSON text, as ``spurious check
--cert`` writes it). The database is in WAL mode, so ``spurious report`` can read it while a sweep writes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from verify.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT NOT NULL,            -- sha256 of the canonical problem JSON
    claim TEXT NOT NULL,
    sweep TEXT NOT NULL,          -- the conjecture's name
    params TEXT NOT NULL,         -- JSON: the instance's grid coordinates (depth, width, seed, ...)
    problem TEXT NOT NULL,        -- JSON: the problem itself
    size INTEGER NOT NULL,        -- number of parameters
    status TEXT NOT NULL,
    trust TEXT NOT NULL,
    reason TEXT NOT NULL,
    backend TEXT NOT NULL,
    seconds REAL NOT NULL,
    certificate TEXT,             -- JSON, or NULL
    verified INTEGER,             -- 1/0: the checker's answer on the certificate at write time; NULL: none
    written REAL NOT NULL,        -- unix time of the commit
    PRIMARY KEY (key, claim)
);
"""

COLUMNS = ("key", "claim", "sweep", "params", "problem", "size", "status", "trust", "reason", "backend", "seconds",
           "certificate", "verified", "written")


class Store:
    """A results database (created when missing). Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, field: str = "--db"):
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as e:
            raise InputError(field, f"cannot open the results database {self.path!r}: {e}") from None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def done(self, claim: str) -> set[str]:
        """Keys of the instances already answered for ``claim``."""
        return {k for (k,) in self.db.execute("SELECT key FROM results WHERE claim = ?", (claim,))}

    def write(self, row: dict) -> bool:
        """Insert one answer in its own transaction; False when its key was already there (nothing written)."""
        values = dict(row, written=time.time())
        for name in ("params", "problem", "certificate"):
            if values.get(name) is not None and not isinstance(values[name], str):
                values[name] = json.dumps(values[name], sort_keys=True)
        try:
            self.db.execute("BEGIN IMMEDIATE")
            cur = self.db.execute(f"INSERT OR IGNORE INTO results ({', '.join(COLUMNS)}) VALUES "
                                  f"({', '.join('?' for _ in COLUMNS)})", [values.get(c) for c in COLUMNS])
            self.db.execute("COMMIT")
        except sqlite3.Error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return cur.rowcount == 1

    def rows(self, claim: str | None = None) -> list[dict]:
        """Every row (JSON columns decoded), ordered by key."""
        q = f"SELECT {', '.join(COLUMNS)} FROM results" + (" WHERE claim = ?" if claim else "") + " ORDER BY key, claim"
        out = []
        for values in self.db.execute(q, (claim,) if claim else ()):
            r = dict(zip(COLUMNS, values))
            for name in ("params", "problem", "certificate"):
                if r[name] is not None:
                    r[name] = json.loads(r[name])
            out.append(r)
        return out


def open_existing(path: str | Path, field: str = "--db") -> Store:
    """A store that must already exist (``spurious report``)."""
    if not Path(path).is_file():
        raise InputError(field, f"{str(path)!r} does not exist (run `spurious sweep ... --db {path}` first)")
    return Store(path, field)
