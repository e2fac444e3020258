"""The writer process of a large `participant import`: it holds the import's one write
transaction and makes its writes, while the import reads, checks and decides the next
chunk of rows on the other core.

Why a process: a 100,000-row import spends a quarter of its time inside SQLite inserting
rows (four indexes, the capacity triggers, foreign keys); the rest is Python. A thread
cannot overlap the two: `executemany` takes Python's global lock back for every row, and a
busy Python thread holds it (tried: ten times slower). A second process has its own lock.

    writer = WriterProcess(db_path, ...)   # BEGIN IMMEDIATE in the child; raises if it cannot
    writer.send(entries, people, statements)  # a chunk's writes; returns at once
    hits = writer.receive()                # ...then: that chunk's possible duplicates
    writer.commit(statements)              # the audit row, then COMMIT
    writer.close()                         # always: a child not told to commit rolls back

The parent reads through its own connection meanwhile. That is sound because the child
holds the write lock from before the first read to the end (nobody else can commit), and
an import never reads back what it wrote: a NIK is in one row only (a second is refused
as a duplicate before it is decided), ids and seats are counted in memory, and the one
look-up that must see the rows written before (possible duplicates, domain.twins) runs
here, in the child, before the chunk's own writes: exactly where the single-connection
path runs it. The child also computes the new people's name keys (domain.names), which
the look-up and the participant rows need: that work is off the import's own core.

Should the database refuse a write (a trigger or unique index that the checks in memory
did not foresee), the child rolls everything back and says so; the import then runs
again on one connection, where such a refusal is pinned on its row (enrollment.Enroller).

This file is also the child's program (run by path, with `python -I -S`: the standard
library, and the two pure modules domain.names and domain.twins from the parent's own
package directory), so it starts in a few milliseconds.
"""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import tempfile

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class WriterRefused(Exception):
    """The database refused a write of the fast path (IntegrityError): nothing was kept."""


class WriterDied(sqlite3.OperationalError):
    """The child stopped without saying why (killed, or it could not start)."""


class WriterProcess:
    """The parent's handle on the child (see the module doc)."""

    def __init__(self, path: str, *, busy_timeout_ms: int, cache_kib: int, twins_sql: tuple[str, str],
                 people_sql: str):
        self._err = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-S", __file__, path, str(busy_timeout_ms), str(cache_kib)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err)
        self._pending = 0
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        try:
            self._put(("hello", twins_sql, people_sql, package_root))
            self._get()   # ("ready",) once the child holds the write lock, else its error
        except BaseException:
            self.close()
            raise

    def send(self, entries: list, people: list, statements: list) -> None:
        """A chunk: look up possible duplicates (domain.twins `entries`) among the people
        written so far, insert the new `people` (participant rows whose last column, the
        name key, is None: computed there), then run the statements (SQL, rows) with
        executemany. At most one chunk is in flight."""
        if self._pending:
            raise RuntimeError("WriterProcess.send: receive the chunk before")
        self._put(("chunk", entries, people, statements))
        self._pending = 1

    def receive(self) -> list[tuple[int, tuple[str, str]]]:
        """The possible duplicates of the chunk sent last, as domain.twins.match gives them
        (after its writes succeeded); raises WriterRefused or the child's sqlite3 error."""
        self._pending = 0
        return self._get()[1]

    def commit(self, statements: list = ()) -> None:
        """Run the last statements (the audit row) and commit. (Rolling back is closing
        without it.)"""
        if self._pending:
            self.receive()
        self._put(("commit", list(statements)))
        self._get()

    def close(self) -> None:
        """Stop the child; when the import did not `commit`, its transaction is rolled back
        (the child reads end-of-file and rolls back; killed after 10 s)."""
        proc = self._proc
        try:
            if proc.stdin and not proc.stdin.closed:
                proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout and not proc.stdout.closed:
            proc.stdout.close()
        if not self._err.closed:
            self._err.close()

    # --- the pipe ------------------------------------------------------------------------

    def _put(self, msg: tuple) -> None:
        try:
            pickle.dump(msg, self._proc.stdin, protocol=_PROTOCOL)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._get()   # the child stopped: its last word says why
            raise self._died() from None

    def _get(self) -> tuple:
        try:
            msg = pickle.load(self._proc.stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            raise self._died() from None
        if msg[0] == "refused":
            raise WriterRefused(msg[1])
        if msg[0] == "error":
            cls = getattr(sqlite3, msg[1], sqlite3.DatabaseError)
            raise cls(msg[2])
        return msg

    def _died(self) -> Exception:
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:   # alive but talking nonsense: stopped
            self._proc.kill()
            self._proc.wait()
        self._err.seek(0)
        last = (self._err.read().decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        return WriterDied(f"the import's writer process stopped (exit {self._proc.returncode}: {last})")


# --- the child -------------------------------------------------------------------------


def _serve(path: str, busy_timeout_ms: int, cache_kib: int) -> None:
    # Ctrl-C reaches the whole process group; only the parent decides: it rolls the child
    # back by closing the pipe, or has it commit. (A child stopped by it between its
    # COMMIT and its reply would have the parent report a failure for a kept import.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp, out = sys.stdin.buffer, sys.stdout.buffer

    def reply(msg: tuple) -> None:
        pickle.dump(msg, out, protocol=_PROTOCOL)
        out.flush()

    conn = None
    twins = None   # domain.twins, imported when a chunk has new people

    def look_up(entries: list) -> list:
        """domain.twins.match for the chunk, against the people written so far."""
        keyed = twins.keyed(entries)
        wanted = twins.wanted(keyed)
        if not wanted:
            return []
        import json

        wanted_json = json.dumps(wanted)
        rows = [conn.execute(sql, [wanted_json]).fetchall() for sql in twins_sql]
        return twins.match(keyed, twins.found(wanted, *rows))

    try:
        _hello, twins_sql, people_sql, package_root = pickle.load(inp)
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        conn.execute("BEGIN IMMEDIATE")
        reply(("ready",))
        while True:
            try:
                msg = pickle.load(inp)
            except EOFError:   # the parent closed the pipe without `commit`: nothing is kept
                conn.rollback()
                return
            if msg[0] == "chunk":
                _, entries, people, statements = msg
                if twins is None and (entries or people):
                    sys.path.insert(0, package_root)
                    from pelatihan_cli.domain import twins
                    from pelatihan_cli.domain.names import person_name_key
                hits = look_up(entries) if entries else []
                if people:
                    conn.executemany(people_sql, [(*p[:-1], person_name_key(p[2]) if p[-1] is None else p[-1])
                                                  for p in people])
                for sql, params in statements:
                    conn.executemany(sql, params)
                reply(("done", hits))
            elif msg[0] == "commit":
                for sql, params in msg[1]:
                    conn.executemany(sql, params)
                conn.commit()
                reply(("committed",))
                return
    except sqlite3.IntegrityError as e:
        if conn is not None and conn.in_transaction:
            conn.rollback()
        reply(("refused", str(e)))
    except sqlite3.Error as e:
        if conn is not None and conn.in_transaction:
            conn.rollback()
        reply(("error", type(e).__name__, str(e)))


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    # Leave without closing the connection (its transaction is over): a closing connection
    # that can lock the whole file checkpoints and deletes the -wal file, and it can when a
    # process holding the parent's connections has lost its POSIX locks (closing *any*
    # descriptor of the file drops them, and a process that opens the database a second
    # time reads its header so). The parent's open connections would then hold a deleted
    # WAL: 'disk I/O error'. An exit without close is what SQLite is built to survive.
    sys.stdout.flush()
    os._exit(0)
