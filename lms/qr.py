"""Drawing QR codes for pages (SVG). What a code encodes is decided by its caller."""

import qrcode
import qrcode.image.svg


def qr_svg(data, *, box_size=10, border=2):
    """An SVG QR code of `data` with medium error correction, sized by its viewBox."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=box_size,
        border=border,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return image.to_string(encoding='unicode')
