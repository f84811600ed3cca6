"""Security headers on every answer.

The Content-Security-Policy lets scripts come only from the academy itself (no inline
script: every page's JavaScript is a file under /static/js), refuses to be framed
(frame-ancestors 'none', against clickjacking), and sends forms only back to the academy.
Inline styles stay allowed: a progress bar's width and a few layout touches are drawn
that way, and a style cannot run code. HSTS only in production, where the academy is
served over HTTPS.
"""

CONTENT_SECURITY_POLICY = '; '.join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
}
#: Two years, subdomains included: what browsers' preload lists ask for.
HSTS = 'max-age=63072000; includeSubDomains'


def init_app(app):
    production = app.config.get('ENV_NAME') == 'production'

    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)  # a view may say more (no-referrer)
        if production:
            response.headers.setdefault('Strict-Transport-Security', HSTS)
        return response
