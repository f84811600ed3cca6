"""Sharing a certificate: LinkedIn's "Add to profile" link. Pure: no app, no database."""

from urllib.parse import quote, urlencode

LINKEDIN_ADD_TO_PROFILE = 'https://www.linkedin.com/profile/add'


def linkedin_add_url(*, name, organization_name, issued_on, cert_url, cert_id, valid_until=None):
    """LinkedIn's add-to-profile address with the certification's fields filled in.

    LinkedIn opens its "Add license or certification" form with these values; the
    holder only confirms. Months are 1–12; the expiration is left out when the
    certificate does not expire. Every value is percent-encoded (spaces as %20).
    """
    params = {
        'startTask': 'CERTIFICATION_NAME',
        'name': name,
        'organizationName': organization_name,
        'issueYear': issued_on.year,
        'issueMonth': issued_on.month,
    }
    if valid_until is not None:
        params['expirationYear'] = valid_until.year
        params['expirationMonth'] = valid_until.month
    params['certUrl'] = cert_url
    params['certId'] = cert_id
    return f'{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params, quote_via=quote)}'


def linkedin_url_for(certificate, claims, *, verify_url, language):
    """The add-to-profile address of an issued certificate, its names in `language`."""
    english = language == 'en'
    return linkedin_add_url(
        name=claims.course_title_en if english else claims.course_title_ka,
        organization_name=claims.issuer_name_en if english else claims.issuer_name_ka,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        cert_url=verify_url,
        cert_id=certificate.formatted_serial,
    )
