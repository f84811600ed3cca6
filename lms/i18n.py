"""Language: which locale a request gets, and helpers to show bilingual fields."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_NAMES = {'ka': 'ქართული', 'en': 'English'}


def select_locale():
    """Pages: the language the person chose (session, then account), Georgian by default.

    The API speaks the language of Accept-Language, English when none is asked for:
    machines read it more often than people.
    """
    languages = current_app.config['LANGUAGES']
    if not has_request_context():
        return current_app.config['BABEL_DEFAULT_LOCALE']
    if request.path.startswith('/api/'):
        return request.accept_languages.best_match(languages) or 'en'
    chosen = session.get('locale')
    if chosen in languages:
        return chosen
    user_locale = getattr(current_user, 'locale', None) if current_user else None
    if user_locale in languages:
        return user_locale
    return current_app.config['BABEL_DEFAULT_LOCALE']


def current_language():
    return str(get_locale() or 'ka')


def localized(obj, field):
    """obj.<field>_en in English when it is filled in, obj.<field>_ka otherwise."""
    if obj is None:
        return ''
    if current_language() == 'en':
        value = getattr(obj, f'{field}_en', None)
        if value:
            return value
    return getattr(obj, f'{field}_ka', '') or ''


def academy_name():
    """The academy's name in the current language (ACADEMY_NAME_KA / ACADEMY_NAME_EN)."""
    key = 'ACADEMY_NAME_EN' if current_language() == 'en' else 'ACADEMY_NAME_KA'
    return current_app.config[key]
