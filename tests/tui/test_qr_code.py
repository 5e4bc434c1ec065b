"""The QR code the console draws decodes back to the very payload, at every size it accepts."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from mktui.core import brcode
from mktui.tui.widgets import qr_code

PAYLOAD = brcode.build_pix(
    key="12345678000195",
    amount_minor=12900,
    merchant_name="MKController",
    merchant_city="Sao Paulo",
    txid="MK0123456789ABCDEF01",
)


def decode(lines) -> str:
    """Render the drawn characters back into a picture and read it with a real QR decoder."""
    matrix = qr_code.read_back(lines)
    scale = 6
    image = Image.new("L", (len(matrix[0]) * scale, len(matrix) * scale), 255)
    pixels = image.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    for dx in range(scale):
                        pixels[x * scale + dx, y * scale + dy] = 0
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "the decoder found no QR code"
    return found[0].text


@pytest.mark.parametrize(("rows", "columns"), [(21, 41), (23, 45), (40, 120)])
def test_a_drawn_code_decodes_to_the_payload(rows, columns):
    drawing = qr_code.fit(PAYLOAD, rows=rows, columns=columns)
    assert drawing is not None
    assert drawing.height <= rows and drawing.width <= columns
    assert decode(drawing.lines) == PAYLOAD
    assert brcode.parse(decode(drawing.lines)).txid == "MK0123456789ABCDEF01"


def test_the_best_code_that_fits_is_chosen():
    roomy = qr_code.fit(PAYLOAD, rows=40, columns=120)
    assert (roomy.version, roomy.error, roomy.width) == (6, "M", 41 + 8)
    tight = qr_code.fit(PAYLOAD, rows=21, columns=41)
    assert (tight.version, tight.error, tight.width, tight.height) == (5, "L", 37 + 4, 21)


def test_nothing_is_drawn_when_it_cannot_fit():
    assert qr_code.fit(PAYLOAD, rows=20, columns=80) is None
    assert qr_code.fit(PAYLOAD, rows=40, columns=40) is None


def test_half_blocks_put_two_module_rows_in_one_line():
    assert qr_code.half_blocks([[True, False, True, False], [True, True, False, False]]) == (
        "█▄▀ ",
    )
    assert qr_code.read_back(["█▄▀ "]) == [[True, False, True, False], [True, True, False, False]]
