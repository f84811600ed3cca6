"""The issued PDF as a download, the same bytes for the pages and the API."""

from flask import Response


def pdf_response(certificate):
    """The PDF exactly as issued: byte-identical on every download, its SHA-256 as ETag."""
    return Response(
        certificate.pdf,
        mimetype='application/pdf',
        headers={
            'Content-Disposition': f'attachment; filename="{certificate.formatted_serial}.pdf"',
            'ETag': f'"{certificate.pdf_sha256}"',
            'Cache-Control': 'private, max-age=3600',
        },
    )
