"""The documented example of every command in docs/cli.md, made by running it.

``python -m tests.cli.examples`` runs each example, in order, against a fresh
``mktui sandbox serve`` (clock pinned at 26 Nov 2026) and rewrites
docs/cli.md from what the commands printed. tests/cli/test_docs_examples.py
runs them again and checks that each output still has the documented shape
and parses into the contract's models.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .harness import Result, Served, add_card, serve_sandbox

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
TAX_ID = "529.982.247-25"


@dataclass(frozen=True)
class Example:
    """One command run as an account, what its JSON holds, and why it is shown."""

    slug: str
    account: str
    args: tuple[str, ...]
    says: str
    models: dict[str, str] = field(default_factory=dict)
    """JSON path → contract model: ``""`` the whole output, ``"[]"`` each item, ``"[].invoice"``…"""
    stdin: str | None = None
    code: int = 0


EXAMPLES = (
    Example("status", "demo", ("status",), "The account at a glance, for people.", code=0),
    Example(
        "status-json", "demo", ("status", "--json"), "The same for scripts.",
        {"account": "Account", "subscription": "Subscription",
         "default_payment_method": "PaymentMethod"},
    ),
    Example(
        "preview-change", "demo", ("preview", "--devices", "12", "--json"),
        "What 12 devices (2 more) would cost today on a subscribed account.", {"": "Preview"},
    ),
    Example(
        "subscription-show", "demo", ("subscription", "show", "--json"),
        "The subscription.", {"": "Subscription"},
    ),
    Example(
        "invoices-list", "demo", ("invoices", "list", "--limit", "3"),
        "The newest invoices, for people (plain: standard output is not a terminal).",
    ),
    Example(
        "invoices-list-json", "demo", ("invoices", "list", "--status", "paid", "--limit", "2", "--json"),
        "Paid invoices as JSON; `--all` walks every page, streaming.", {"[]": "Invoice"},
    ),
    Example(
        "invoices-list-csv", "demo",
        ("invoices", "list", "--since", "2026-09-01", "--until", "2026-10-31", "--csv"),
        "Invoices issued in a date range, as CSV for the accountant.",
    ),
    Example(
        "invoices-show", "demo", ("invoices", "show", "{overdue}", "--json"),
        "One invoice, with its lines and the last failed charge.", {"": "Invoice"},
    ),
    Example(
        "invoices-pix", "demo", ("invoices", "pix", "{overdue}"),
        "Pay an invoice by Pix: the copia e cola on a line of its own, for the payer's bank app.",
    ),
    Example(
        "methods-add", "demo",
        ("methods", "add", "--holder", "Ana Souza", "--exp", "12/30", "--card-stdin", "--json"),
        "Attach a card; the number and CVC come from standard input (here the sandbox's "
        "declining test card), never from the arguments.",
        {"": "PaymentMethod"}, stdin="4000 0000 0000 0002\n123\n",
    ),
    Example(
        "invoices-pay-declined", "demo",
        ("invoices", "pay", "{overdue}", "--method", "{declining}", "--yes"),
        "A declined charge: exit code 3, the reason on standard error, nothing charged.",
        code=3,
    ),
    Example(
        "invoices-pay-refused", "demo", ("invoices", "pay", "{overdue}"),
        "Without a terminal and without --yes nothing is paid: exit code 1.", code=1,
    ),
    Example(
        "invoices-pay-all-overdue", "demo", ("invoices", "pay", "--all-overdue", "--yes", "--json"),
        "Pay every overdue invoice, oldest first; each outcome is reported.",
        {"[].invoice": "Invoice"},
    ),
    Example(
        "invoices-receipt", "demo", ("invoices", "receipt", "{paid}", "-o", "{dir}", "--json"),
        "Save the receipt PDF of a paid invoice (never over an existing file).",
    ),
    Example(
        "invoices-pdf", "demo", ("invoices", "pdf", "{paid}", "-o", "{dir}", "--json"),
        "Save the invoice itself as a PDF, whatever its state.",
    ),
    Example(
        "invoices-nfse", "demo", ("invoices", "nfse", "{paid}", "-o", "{dir}", "--json"),
        "Save the NFS-e (the municipal service invoice) of a paid invoice: PDF, or `--format xml`.",
    ),
    Example(
        "subscription-set-devices", "demo", ("subscription", "set-devices", "12", "--yes", "--json"),
        "Two more devices: charged pro rata now, with the previewed total.",
        {"": "SubscriptionResult"},
    ),
    Example(
        "methods-list", "demo", ("methods", "list", "--json"),
        "The saved cards.", {"[]": "PaymentMethod"},
    ),
    Example(
        "methods-update", "demo", ("methods", "update", "{declining}", "--exp", "03/31", "--json"),
        "A reissued card's new expiry.", {"": "PaymentMethod"},
    ),
    Example(
        "methods-default", "demo", ("methods", "default", "{declining}", "--json"),
        "Make a saved card the default.", {"": "PaymentMethod"},
    ),
    Example(
        "methods-remove", "demo", ("methods", "remove", "{declining}", "--yes", "--json"),
        "Remove a saved card.", {"removed": "PaymentMethod", "new_default": "PaymentMethod"},
    ),
    Example(
        "contacts-list", "demo", ("contacts", "list", "--json"),
        "The financial contacts.", {"[]": "FinancialContact"},
    ),
    Example(
        "contacts-add", "demo",
        ("contacts", "add", "--name", "Carla Contas", "--email", "carla@example.com", "--json"),
        "Add a financial contact.", {"": "FinancialContact"},
    ),
    Example(
        "contacts-edit", "demo", ("contacts", "edit", "{contact}", "--name", "Carla C. Lima", "--json"),
        "Correct a contact's name or email.", {"": "FinancialContact"},
    ),
    Example(
        "contacts-remove", "demo", ("contacts", "remove", "{contact}", "--yes", "--json"),
        "Remove a financial contact.", {"removed": "FinancialContact"},
    ),
    Example(
        "history", "annual", ("history", "--limit", "3", "--json"),
        "The credit ledger, newest first (`--kind`, `--all`).", {"[]": "LedgerEntry"},
    ),
    Example(
        "subscription-set-plan", "annual", ("subscription", "set-plan", "monthly", "--yes", "--json"),
        "Annual → monthly: nothing charged, renewals are monthly from the next 1st.",
        {"": "SubscriptionResult"},
    ),
    Example(
        "subscription-cancel", "annual", ("subscription", "cancel", "--yes", "--json"),
        "Cancel at the next 1st.", {"": "Subscription"},
    ),
    Example(
        "subscription-resume", "annual", ("subscription", "resume", "--yes", "--json"),
        "Undo the cancellation.", {"": "Subscription"},
    ),
    Example(
        "preview-new", "new",
        ("preview", "--devices", "10", "--currency", "BRL", "--tax-id", TAX_ID, "--json"),
        "What a new subscription would charge today (pro rata to the end of the month).",
        {"": "Preview"},
    ),
    Example(
        "subscribe", "new",
        ("subscribe", "--devices", "10", "--currency", "BRL", "--tax-id", TAX_ID,
         "--expect-total", "{previewed}", "--yes", "--json"),
        "Subscribe, held to the previewed total: a changed price exits 4 and charges nothing.",
        {"": "SubscriptionResult"},
    ),
)  # fmt: skip


@dataclass
class Ran:
    example: Example
    argv: list[str]
    result: Result


def _resolve(served: Served, example: Example, folder: Path, memo: dict[str, str]) -> list[str]:
    """The example's arguments with ``{overdue}``, ``{paid}``… filled from the sandbox."""

    def lookup(name: str) -> str:
        if name == "dir":
            return str(folder)
        if name in memo:
            return memo[name]
        if name in ("overdue", "paid"):
            status = "past_due" if name == "overdue" else "paid"
            found = served.as_(example.account, "invoices", "list", "--status", status, "--json")
            memo[name] = found.json()[0]["id"]
        elif name == "contact":
            memo[name] = served.as_(example.account, "contacts", "list", "--json").json()[-1]["id"]
        elif name == "previewed":
            args = ("preview", "--devices", "10", "--currency", "BRL", "--tax-id", TAX_ID, "--json")
            memo[name] = served.as_(example.account, *args).json()["total"]["amount"]
        return memo[name]

    return [re.sub(r"\{(\w+)\}", lambda m: lookup(m.group(1)), arg) for arg in example.args]


def run_examples(served: Served, folder: Path) -> list[Ran]:
    """Run every example in order (each may depend on the ones before)."""
    memo: dict[str, str] = {}
    add_card(served, "new", "4242424242424242")
    ran = []
    for example in EXAMPLES:
        argv = _resolve(served, example, folder, memo)
        result = served.as_(example.account, *argv, input=example.stdin)
        assert result.code == example.code, (example.slug, result.code, result.err)
        if example.slug == "methods-add":
            memo["declining"] = result.json()["id"]
        ran.append(Ran(example, argv, result))
    return ran


# ---------------------------------------------------------------- docs/cli.md
HEAD = """# mktui from the shell

Every read and every money-moving action of the console has a command. They
share the console's client, prices, Idempotency-Keys and kept session. Each
takes `--profile NAME` or `--sandbox [--as demo|annual|new]`, and prints a
table for people (Rich on a terminal; plain when standard output is not a
terminal or `NO_COLOR` is set), or `--json` / `--csv`.

- JSON is the contract's models (docs/openapi.json), keys always present and
  in a stable order, dates in ISO 8601, and every amount as
  `{"amount": "21.50", "currency": "BRL", "minor": 2150}`. Lists are JSON
  arrays written as the pages arrive.
- Money-moving commands (`subscribe`, `subscription set-devices|set-plan|cancel|resume`,
  `invoices pay`, `methods remove`, `contacts remove`) state the exact amount,
  what it pays and the card on standard error, then ask; without a terminal
  they refuse (exit 1) unless `--yes` is given. They charge the server's
  preview with its total (and quote), so a price that changed in between is
  refused (exit 4), never charged; `--expect-total` holds them to a figure a
  script saw earlier. `--idempotency-key KEY` makes a retried command safe
  (without it, one key per run).
- Card numbers and CVCs are never arguments: `methods add` asks them without
  echo, or reads them from standard input with `--card-stdin`.

Exit codes, the same for every command: 0 done · 1 usage error or
confirmation refused · 2 sign-in needed · 3 payment declined · 4 not found or
conflict (price changed, not payable) · 5 billing API unavailable.

Where the session comes from: `--sandbox`; else `MKTUI_TOKEN`; else the
profile's kept session (the system keyring; the 0600 plain file with
`--insecure-storage`; the encrypted file, its passphrase from
`--passphrase-fd N` / `MKTUI_PASSPHRASE_FD` or asked on a terminal). See the
cron recipe in the README.

The examples below are real runs against `mktui sandbox serve` with its
clock at 26 Nov 2026 (`python -m tests.cli.examples` writes them;
tests/cli/test_docs_examples.py checks the output still has this shape).
Ids are the sandbox's.
"""


def _block(ran: Ran, folder: Path) -> str:
    ex = ran.example
    command = " ".join(_quote(a) for a in ["mktui", *ran.argv, "--profile", ex.account])
    command = command.replace(str(folder), "./out")
    words = []
    for arg in ex.args:
        if arg.startswith(("-", "{")) or arg[0].isdigit() or arg in ("monthly", "annual"):
            break
        words.append(arg)
    text = [f"### `mktui {' '.join(words)}`", ""]
    text += [f"<!-- example: {ex.slug} -->", ex.says, "", "```console", f"$ {command}"]
    if ex.stdin:
        text[-1] = f"$ printf '%s\\n' NUMBER CVC | {command}"
    out = ran.result.out.replace(str(folder), "./out").rstrip("\n")
    if out:
        text.append(out)
    for line in ran.result.err.rstrip("\n").splitlines():
        text.append(f"[stderr] {line.replace(str(folder), './out')}")
    text.append(f"[exit {ran.result.code}]")
    text += ["```", ""]
    return "\n".join(text)


def _quote(arg: str) -> str:
    return f"'{arg}'" if re.search(r"[\s'\"*$]", arg) else arg


def extract_outputs(doc: str) -> dict[str, str]:
    """slug → the standard output documented for it (docs/cli.md as written by :func:`write`)."""
    found = {}
    for match in re.finditer(
        r"<!-- example: ([\w-]+) -->.*?```console\n\$ [^\n]*\n(.*?)```", doc, re.S
    ):
        lines = [
            line
            for line in match.group(2).splitlines()
            if not line.startswith(("[stderr] ", "[exit "))
        ]
        found[match.group(1)] = "\n".join(lines)
    return found


def write(ran: list[Ran], folder: Path) -> str:
    """docs/cli.md from the runs."""
    return HEAD + "\n" + "\n".join(_block(r, folder) for r in ran)


def main() -> None:
    """Run the examples against a fresh served sandbox and rewrite docs/cli.md."""
    import os

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("config", "data", "cache"):
            (root / name).mkdir()
        os.environ.update(
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_DATA_HOME=str(root / "data"),
            XDG_CACHE_HOME=str(root / "cache"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        os.environ.pop("MKTUI_TOKEN", None)
        out = root / "out"
        out.mkdir()
        with serve_sandbox(root) as served:
            ran = run_examples(served, out)
        DOC.write_text(write(ran, out), encoding="utf-8")
    print(f"wrote {DOC} ({len(ran)} examples)")


if __name__ == "__main__":
    main()
