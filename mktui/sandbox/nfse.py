"""The simulated NFS-e issuer: a service invoice for every paid BRL invoice.

Since January 2026 every payment of a Brazilian company's bill needs its NFS-e
(Nota Fiscal de Serviço eletrônica, the national standard). The sandbox issues
a simulated one at payment — for an invoice in reais of an account with a CPF
or CNPJ, when money was received (an invoice drawn wholly from annual credit
has none: the annual purchase that granted the credit had its own NFS-e).

The service code (``cTribNac`` of the national list) and the ISS rate are the
sandbox's settings, kept in its meta table (``mktui sandbox nfse``); an issued
NFS-e keeps the code and rate in force when it was issued. Its XML follows the
shape of the national standard's NFS-e document (``NFSe/infNFSe/DPS``),
simplified but well-formed; its PDF is the DANFSe a person reads.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from mktui.core import dates, taxid
from mktui.core.money import Money
from mktui.sandbox.errors import conflict, invalid

ISSUER_NAME = "MKController Tecnologia Ltda"
ISSUER_CNPJ = "12345678000195"
ISSUER_CITY = "São Paulo"
ISSUER_CITY_IBGE = "3550308"
NAMESPACE = "http://www.sped.fazenda.gov.br/nfse"

DEFAULT_SERVICE_CODE = "010301"
"""cTribNac 01.03.01: processing, storage or hosting of data (the managed-device service)."""
DEFAULT_SERVICE_DESCRIPTION = "Gerenciamento remoto de dispositivos Mikrotik (MKController)"
DEFAULT_ISS_RATE_BP = 200
"""ISS rate in basis points: 2.00 %, the legal minimum."""

_SERVICE_KEY = "nfse_service_code"
_RATE_KEY = "nfse_iss_rate_bp"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud to an accountant


@dataclass(frozen=True)
class Settings:
    """What the sandbox's issuer puts on each NFS-e."""

    service_code: str
    iss_rate_bp: int

    @property
    def iss_rate(self) -> Decimal:
        """The rate as a percentage (``2.00``)."""
        return Decimal(self.iss_rate_bp) / 100


def settings(conn: sqlite3.Connection) -> Settings:
    """The issuer's service code and ISS rate (defaults until set)."""
    rows = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (_SERVICE_KEY, _RATE_KEY)
        ).fetchall()
    )
    return Settings(
        service_code=rows.get(_SERVICE_KEY, DEFAULT_SERVICE_CODE),
        iss_rate_bp=int(rows.get(_RATE_KEY, DEFAULT_ISS_RATE_BP)),
    )


def configure(
    conn: sqlite3.Connection, *, service_code: str | None = None, iss_rate: str | None = None
) -> Settings:
    """Change the service code (six digits) and/or the ISS rate (2 to 5 %, e.g. ``2.5``)."""
    if service_code is not None:
        code = service_code.replace(".", "").strip()
        if len(code) != 6 or not code.isdigit():
            raise invalid(
                "service_code",
                "The service code is the six digits of the national list, like 01.03.01.",
            )
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_SERVICE_KEY, code),
        )
    if iss_rate is not None:
        try:
            rate = Decimal(iss_rate.replace(",", ".").rstrip("%").strip())
        except ArithmeticError:
            rate = Decimal(-1)
        if (
            not rate.is_finite()
            or not Decimal(2) <= rate <= Decimal(5)
            or rate != rate.quantize(Decimal("0.01"))
        ):
            raise invalid(
                "iss_rate", "The ISS rate is a percentage from 2 to 5 with up to two decimals."
            )
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_RATE_KEY, str(int(rate * 100))),
        )
    return settings(conn)


def issue_if_due(conn: sqlite3.Connection, invoice_id: str, at: datetime) -> None:
    """Issue the NFS-e of a just-paid invoice when one is due (BRL, a tax id, money received)."""
    row = conn.execute(
        "SELECT i.status, i.currency, i.total, i.nfse_number, a.tax_id FROM invoices i "
        "JOIN accounts a ON a.id = i.account_id WHERE i.id = ?",
        (invoice_id,),
    ).fetchone()
    if (
        row is None
        or row["status"] != "paid"
        or row["currency"] != "BRL"
        or not row["tax_id"]
        or row["total"] <= 0
        or row["nfse_number"] is not None
    ):
        return
    issued = conn.execute("SELECT count(*) FROM invoices WHERE nfse_number IS NOT NULL").fetchone()[
        0
    ]
    current = settings(conn)
    conn.execute(
        "UPDATE invoices SET nfse_number = ?, nfse_code = ?, nfse_issued_at = ?, "
        "nfse_status = 'issued', nfse_service_code = ?, nfse_iss_rate_bp = ? WHERE id = ?",
        (
            str(issued + 1),
            "".join(secrets.choice(_CODE_ALPHABET) for _ in range(9)),
            at.isoformat(),
            current.service_code,
            current.iss_rate_bp,
            invoice_id,
        ),
    )


def view(row: sqlite3.Row) -> dict[str, str] | None:
    """The invoice's ``nfse`` body, or None when it has none."""
    if row["nfse_number"] is None:
        return None
    return {
        "number": row["nfse_number"],
        "verification_code": row["nfse_code"],
        "issued_at": row["nfse_issued_at"],
        "status": row["nfse_status"],
    }


def require(invoice: sqlite3.Row) -> None:
    """409 ``nfse_unavailable`` for an invoice without an NFS-e, saying why."""
    if invoice["nfse_number"] is not None:
        return
    if invoice["currency"] != "BRL":
        why = "an NFS-e is issued only for invoices in reais (BRL)"
    elif invoice["status"] != "paid":
        why = f"it is {invoice['status'].replace('_', ' ')}; its NFS-e is issued once it is paid"
    else:
        why = "it was paid without a charge (account credit), so no NFS-e was issued"
    raise conflict("nfse_unavailable", f"Invoice {invoice['number']} has no NFS-e: {why}.")


def _decimal(minor: int) -> str:
    return f"{Decimal(minor) / 100:.2f}"


def iss_amount(total_minor: int, rate_bp: int) -> int:
    """The ISS due on ``total_minor`` at ``rate_bp`` basis points, rounded half up."""
    exact = Decimal(total_minor) * rate_bp / 10_000
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def render_xml(invoice: sqlite3.Row, account: sqlite3.Row) -> bytes:
    """The NFS-e as XML in the national standard's shape (simplified, well-formed UTF-8)."""
    # Imported here: ~0.5 MiB that only a download of the XML needs, not the sandbox's start.
    from xml.etree import ElementTree as ET  # noqa: N817, S405 - building XML, never parsing input

    number = invoice["nfse_number"]
    issued = invoice["nfse_issued_at"]
    root = ET.Element("NFSe", {"xmlns": NAMESPACE, "versao": "1.00"})
    inf = ET.SubElement(root, "infNFSe", {"Id": f"NFS{ISSUER_CITY_IBGE}{number.zfill(13)}"})
    for tag, text in (
        ("xLocEmi", ISSUER_CITY),
        ("xLocPrestacao", ISSUER_CITY),
        ("nNFSe", number),
        ("cVerif", invoice["nfse_code"]),
        ("cStat", "100" if invoice["nfse_status"] == "issued" else "101"),
        ("dhProc", issued),
    ):
        ET.SubElement(inf, tag).text = text
    dps = ET.SubElement(ET.SubElement(inf, "DPS", {"versao": "1.00"}), "infDPS")
    ET.SubElement(dps, "dhEmi").text = issued
    ET.SubElement(dps, "dCompet").text = invoice["period_start"]
    ET.SubElement(dps, "cLocEmi").text = ISSUER_CITY_IBGE
    prest = ET.SubElement(dps, "prest")
    ET.SubElement(prest, "CNPJ").text = ISSUER_CNPJ
    ET.SubElement(prest, "xNome").text = ISSUER_NAME
    toma = ET.SubElement(dps, "toma")
    payer = taxid.compact(account["tax_id"] or "")
    ET.SubElement(toma, "CPF" if len(payer) == taxid.CPF_LENGTH else "CNPJ").text = payer
    ET.SubElement(toma, "xNome").text = account["name"]
    ET.SubElement(toma, "email").text = account["email"]
    serv = ET.SubElement(dps, "serv")
    cserv = ET.SubElement(serv, "cServ")
    ET.SubElement(cserv, "cTribNac").text = invoice["nfse_service_code"]
    ET.SubElement(cserv, "xDescServ").text = (
        f"{DEFAULT_SERVICE_DESCRIPTION} - fatura {invoice['number']}, "
        f"{invoice['period_start']} a {invoice['period_end']}"
    )
    valores = ET.SubElement(dps, "valores")
    ET.SubElement(ET.SubElement(valores, "vServPrest"), "vServ").text = _decimal(invoice["total"])
    trib_mun = ET.SubElement(ET.SubElement(valores, "trib"), "tribMun")
    ET.SubElement(trib_mun, "tribISSQN").text = "1"
    ET.SubElement(trib_mun, "pAliq").text = f"{Decimal(invoice['nfse_iss_rate_bp']) / 100:.2f}"
    ET.SubElement(trib_mun, "vISSQN").text = _decimal(
        iss_amount(invoice["total"], invoice["nfse_iss_rate_bp"])
    )
    ET.SubElement(trib_mun, "tpRetISSQN").text = "1"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_pdf(invoice: sqlite3.Row, account: sqlite3.Row) -> bytes:
    """The NFS-e as a PDF a person reads (the DANFSe): number, code, parties, service, ISS."""
    from fpdf import FPDF

    from mktui.sandbox.receipts import latin1

    def brl(minor: int) -> str:
        return latin1(Money.from_minor(minor, "BRL").format("pt_BR"))

    rate_bp = invoice["nfse_iss_rate_bp"]
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"NFS-e {invoice['nfse_number']}"))
    pdf.set_creator("mktui sandbox")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(
        0, 9, latin1("NFS-e - Nota Fiscal de Serviço eletrônica"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(
        0,
        5,
        "Simulated by the mktui sandbox: not a fiscal document.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    try:
        payer_id = taxid.format(account["tax_id"])
    except ValueError:
        payer_id = account["tax_id"]
    facts = [
        ("Number", invoice["nfse_number"]),
        ("Verification code", invoice["nfse_code"]),
        ("Status", "issued" if invoice["nfse_status"] == "issued" else "canceled"),
        (
            "Issued",
            dates.format_moment(
                datetime.fromisoformat(invoice["nfse_issued_at"]), account["billing_timezone"]
            ),
        ),
        ("Provider", f"{ISSUER_NAME}, CNPJ {taxid.format(ISSUER_CNPJ)}, {ISSUER_CITY}"),
        ("Customer", account["name"]),
        ("CPF/CNPJ", payer_id),
        ("Service code", invoice["nfse_service_code"]),
        ("Service", DEFAULT_SERVICE_DESCRIPTION),
        (
            "Invoice",
            f"{invoice['number']}, "
            + dates.format_period(
                date.fromisoformat(invoice["period_start"]),
                date.fromisoformat(invoice["period_end"]),
            ),
        ),
        ("Service amount", brl(invoice["total"])),
        ("ISS rate", f"{Decimal(rate_bp) / 100:.2f} %"),
        ("ISS", brl(iss_amount(invoice["total"], rate_bp))),
    ]
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(40, 6, label)
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(0, 6, latin1(str(value)), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
