"""The sandbox's SQLite store: schema, connections and transactions.

One connection per transaction (sqlite3 connections are cheap and this keeps
threads apart). Writes start with ``BEGIN IMMEDIATE`` so concurrent requests
that move money serialize on the database's write lock instead of racing;
reads use a plain deferred transaction (WAL lets them run beside a writer).
Money is an INTEGER count of minor units everywhere.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS accounts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('inactive', 'active', 'past_due', 'suspended')),
    currency TEXT CHECK (currency IN ('BRL', 'USD')),
    tax_id TEXT,
    billing_timezone TEXT NOT NULL DEFAULT 'America/Sao_Paulo',
    devices_in_use INTEGER NOT NULL DEFAULT 0 CHECK (devices_in_use >= 0),
    credit_balance INTEGER NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
    default_payment_method_id TEXT REFERENCES payment_methods (id) ON DELETE SET NULL,
    address TEXT
);

CREATE TABLE IF NOT EXISTS subscriptions (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    plan TEXT NOT NULL CHECK (plan IN ('monthly', 'annual')),
    currency TEXT NOT NULL CHECK (currency IN ('BRL', 'USD')),
    devices INTEGER NOT NULL CHECK (devices >= 1),
    scheduled_devices INTEGER CHECK (scheduled_devices IS NULL OR scheduled_devices >= 1),
    current_period_start TEXT NOT NULL,
    current_period_end TEXT NOT NULL,
    cancel_at TEXT,
    scheduled_plan TEXT CHECK (scheduled_plan IS NULL OR scheduled_plan IN ('monthly', 'annual')),
    annual_since TEXT
);

CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    family TEXT NOT NULL,
    expires_at REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    rotated_at REAL,
    successor BLOB
);
CREATE INDEX IF NOT EXISTS tokens_family ON tokens (family);
CREATE INDEX IF NOT EXISTS tokens_expiry ON tokens (expires_at);

CREATE TABLE IF NOT EXISTS payment_methods (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL CHECK (length(last4) = 4),
    exp_month INTEGER NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year INTEGER NOT NULL,
    holder_name TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS invoices (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('activation', 'change', 'renewal')),
    status TEXT NOT NULL CHECK (status IN ('open', 'past_due', 'paid', 'void')),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    due_date TEXT NOT NULL,
    lines TEXT NOT NULL,
    subtotal INTEGER NOT NULL CHECK (subtotal >= 0),
    credit_applied INTEGER NOT NULL CHECK (credit_applied >= 0),
    credit_granted INTEGER NOT NULL DEFAULT 0 CHECK (credit_granted >= 0),
    total INTEGER NOT NULL CHECK (total >= 0),
    currency TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failure_code TEXT,
    failure_message TEXT,
    paid_at TEXT,
    paid_brand TEXT,
    paid_last4 TEXT,
    billed_to TEXT
);
CREATE INDEX IF NOT EXISTS invoices_account ON invoices (account_id, seq);

CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('charge', 'payment', 'credit_grant', 'credit_use', 'refund')),
    description TEXT NOT NULL,
    amount INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    invoice_id TEXT REFERENCES invoices (id)
);
CREATE INDEX IF NOT EXISTS ledger_account ON ledger (account_id, seq);

CREATE TABLE IF NOT EXISTS contacts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    UNIQUE (account_id, email)
);

CREATE TABLE IF NOT EXISTS pix_charges (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    txid TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    invoice_id TEXT NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    br_code TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    paid_at TEXT
);
CREATE INDEX IF NOT EXISTS pix_charges_invoice ON pix_charges (invoice_id, seq);

CREATE TABLE IF NOT EXISTS idempotency (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (account_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency (created_at);
"""

# Every filter of GET /v1/invoices has its index (api.md, Additions: a page answers in the same
# time at 100 or 1 000 000 invoices). Created after the added columns, on old files too.
# The status index also serves the account summary (count and total of open and past-due).
_INDEXES = """
CREATE INDEX IF NOT EXISTS invoices_status ON invoices (account_id, status, seq);
CREATE INDEX IF NOT EXISTS invoices_number ON invoices (account_id, number, status, seq);
CREATE INDEX IF NOT EXISTS invoices_issued ON invoices (account_id, issued_at, status, seq);
"""

# Columns added after a database may have been created: (table, column, declaration).
_ADDED_COLUMNS = (
    ("tokens", "rotated_at", "REAL"),
    ("tokens", "successor", "BLOB"),
    ("accounts", "address", "TEXT"),
    ("subscriptions", "cancel_at", "TEXT"),
    ("subscriptions", "scheduled_plan", "TEXT"),
    ("subscriptions", "annual_since", "TEXT"),
    ("invoices", "billed_to", "TEXT"),
    ("invoices", "paid_method", "TEXT"),
    ("invoices", "paid_txid", "TEXT"),
    ("invoices", "nfse_number", "TEXT"),
    ("invoices", "nfse_code", "TEXT"),
    ("invoices", "nfse_issued_at", "TEXT"),
    ("invoices", "nfse_status", "TEXT"),
    ("invoices", "nfse_service_code", "TEXT"),
    ("invoices", "nfse_iss_rate_bp", "INTEGER"),
)

TABLES = (
    "accounts",
    "subscriptions",
    "tokens",
    "payment_methods",
    "invoices",
    "ledger",
    "contacts",
    "pix_charges",
    "idempotency",
)


def _private_parent(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by this user only.

    A folder that already exists is left as it is: it may be the user's own
    (a --db in the working directory) and its mode is theirs to choose.
    """
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for created in reversed(missing):
        created.mkdir(mode=0o700, exist_ok=True)
        os.chmod(created, 0o700)  # mkdir's mode is narrowed by the umask, never widened


def _private_file(path: Path) -> None:
    """The database (and its -wal/-shm, which SQLite creates with the database's mode) 0600.

    It holds password hashes and token digests: no other user of the machine reads it.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for suffix in ("", "-wal", "-shm"):
        existing = Path(f"{path}{suffix}")
        if existing.exists() and existing.stat().st_mode & 0o077:
            os.chmod(existing, 0o600)


def new_id(prefix: str) -> str:
    """A fresh opaque id such as ``inv_5f2a9c0d1e3b4a67``."""
    return f"{prefix}_{secrets.token_hex(8)}"


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    """Bring a sandbox file made by an older mktui up to the schema (its data is kept)."""
    for table, column, declaration in _ADDED_COLUMNS:
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


class Store:
    """The sandbox database at ``path``: created with its schema on first use."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        _private_parent(self.path.parent)
        _private_file(self.path)
        conn = self._connect()
        try:
            # WAL is a property of the file: set once, readers then never block the writer.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            _add_missing_columns(conn)
            conn.executescript(_INDEXES)
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (SCHEMA_VERSION,),
            )
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE for writes).
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any exception."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent snapshot, never writes."""
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")
        finally:
            conn.close()

    def counts(self) -> dict[str, int]:
        """Row counts of every table: what tests compare to prove nothing was written."""
        with self.read() as conn:
            return {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in TABLES
            }

    def get_meta(self, conn: sqlite3.Connection, key: str) -> str | None:
        """A value of the meta table (clock, schema version), or None."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        """Set a value of the meta table inside the caller's write transaction."""
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
