"""QR codes drawn locally (no network): inline SVG for pages and PDFs, PNG for mail."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, box_size: int = 10, border: int = 2) -> str:
    """An inline `<svg>` element (without XML declaration) drawing `data`."""
    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=border
    )
    svg = str(image.to_string(encoding="unicode"))
    return svg[svg.index("<svg") :]


def qr_png(data: str, *, box_size: int = 8, border: int = 3) -> bytes:
    image = qrcode.make(data, box_size=box_size, border=border)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
