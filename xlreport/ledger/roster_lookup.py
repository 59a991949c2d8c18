"""The campaign's roster as the check sees it (code → name), looked up in the ledger.

A campaign of 100,000 agencies would otherwise hand every check process a dict of
100,000 names (tens of megabytes in each of them); the check asks for one or two codes per
file. :class:`LedgerRoster` is a read-only mapping that asks the ledger: it travels to a
worker process as the ledger's path and opens its own connection there (one per process,
never one inherited across a fork). The names are the roster's at the moment asked, as a
dict read at the start would have them while the roster is not changed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import ItemsView, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from xlreport.checks.model import CheckOptions
from xlreport.ledger.campaign import Campaign
from xlreport.ledger.schema import LEDGER_FILE, connect_existing
from xlreport.safetext import undecodable

_NAME = "SELECT name FROM agencies WHERE code = ?"
#: Connections a forked process inherited: kept, so that the child never closes its
#: parent's SQLite connection (which SQLite forbids across a fork).
_INHERITED: list[sqlite3.Connection] = []


class LedgerRoster(Mapping[str, str]):
    """The agencies of the ledger at ``path``, code → name, in roster order, withdrawn
    ones too (the check says a file is of a withdrawn agency; the campaign then refuses
    it). Iterating reads the roster from the ledger as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid != os.getpid():
            # opened before this process was forked: never used nor closed here
            _INHERITED.append(self._conn)
            self._conn = None
        if self._conn is None:
            # read only (opened so: a missing ledger is an error, never a new empty one),
            # so never a lock held against the ingest; its lookups may come from any thread
            self._conn = connect_existing(self.path, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def close(self) -> None:
        """Close this process's connection (asked again, the mapping opens a new one).
        Whoever makes a roster closes it when done: an open connection would keep the
        ledger's WAL files in the campaign folder, and on Windows the folder in use. (A
        check worker's own connection lasts as long as the worker.)"""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        elif self._conn is not None:
            _INHERITED.append(self._conn)  # a parent's: not closed here
        self._conn = None

    def __enter__(self) -> LedgerRoster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _name(self, code: object) -> str | None:
        if not isinstance(code, str) or undecodable(code):  # no text: no agency's code
            return None
        row = self._db().execute(_NAME, (code,)).fetchone()
        return None if row is None else str(row[0])

    def __getitem__(self, code: str) -> str:
        name = self._name(code)
        if name is None:
            raise KeyError(code)
        return name

    def __contains__(self, code: object) -> bool:
        return self._name(code) is not None

    def __len__(self) -> int:
        return int(self._db().execute("SELECT COUNT(*) FROM agencies").fetchone()[0])

    def pairs(self) -> Iterator[tuple[str, str]]:
        """(code, name) of every agency, in roster order, read as they are used."""
        for code, name in self._db().execute("SELECT code, name FROM agencies ORDER BY seq, code"):
            yield str(code), str(name)

    def __iter__(self) -> Iterator[str]:
        return (code for code, _name in self.pairs())

    def items(self) -> ItemsView[str, str]:
        return _Pairs(self)

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LedgerRoster):
            return self.path == other.path
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LedgerRoster({str(self.path)!r})"


class _Pairs(ItemsView[str, str]):
    """The roster's (code, name) pairs read in one statement, not a lookup per code."""

    _mapping: LedgerRoster

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self._mapping.pairs()


@contextmanager
def campaign_check_options(camp: Campaign) -> Iterator[CheckOptions]:
    """How a return of ``camp`` is checked (its layout, year, county and roster — the
    roster looked up in the ledger), for as long as the ``with`` block lasts."""
    info = camp.info
    with LedgerRoster((camp.dir / LEDGER_FILE).absolute()) as roster:
        yield CheckOptions(
            layout=camp.layout, year=info.year, roster_codes=roster, county=info.county or None
        )


__all__ = ["LedgerRoster", "campaign_check_options"]
