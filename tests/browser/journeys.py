"""What every journey shares: the devices people use, logging in through the form, the
language switch, full-page screenshots in both languages, axe on every page, the keyboard.

A journey is a test taking the `journey` fixture (tests/browser/conftest.py): it opens
pages on a device (`journey.open(PHONE)`), walks through them as a person does, and calls
`journey.look(page, 'what')` on each page it reaches. `look` runs axe-core (no serious or
critical violation; moderate and minor ones are written down beside the screenshots),
checks that every control on the page is reached with Tab and shows where the focus is,
and saves a full-page screenshot, then does the same in the other language through the
page's own language switch and comes back. Screenshots land in
BROWSER_SCREENSHOTS/journeys/<test>/ (default tests/browser/screenshots/).
"""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, SCREENSHOTS

#: A phone of a common size, touch and all; and a laptop.
PHONE = {'viewport': {'width': 390, 'height': 844}, 'is_mobile': True, 'has_touch': True}
LAPTOP = {'viewport': {'width': 1366, 'height': 768}}
LANGUAGES = ('ka', 'en')

AXE = Path(__file__).with_name('vendor') / 'axe.min.js'
#: axe-core's impacts that fail a journey; the others are written down for people to read.
BLOCKING = ('serious', 'critical')

RUN_AXE = """() => axe.run(document, {resultTypes: ['violations']}).then(result =>
  result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary),
  })))"""

#: The controls a keyboard must reach: visible, enabled, focusable by nature. A Bootstrap
#: toggle button (.btn-check) is a hidden radio or checkbox shown by its label.
CONTROLS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
              '[tabindex]:not([tabindex="-1"])';
  const shownBy = el =>
    el.matches('.btn-check') ? document.querySelector(`label[for="${el.id}"]`) : el;
  const visible = el => {
    if (!el) return false;
    const box = el.getBoundingClientRect();  // checkVisibility: also inside a closed <details>
    return box.width > 0 && box.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const found = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.closest('[inert]') || !visible(shownBy(el))) continue;
    found.push(window.__controlKey(el));
  }
  return [...new Set(found)];
}"""

#: A name for a control that stays the same on every Tab (radios of a group share one:
#: Tab enters a group once, the arrows move inside it).
CONTROL_KEY = """() => {
  window.__controlKey = el => {
    if (el.type === 'radio') return `radio ${el.name}`;
    if (!el.dataset.kbd) {
      el.dataset.kbd = String(document.querySelectorAll('[data-kbd]').length + 1);
    }
    const words = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}> ${words} #${el.dataset.kbd}`;
  };
}"""

#: What has the focus now, and whether a sighted keyboard user can see where it is.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shown = el.matches('.btn-check') ? document.querySelector(`label[for="${el.id}"]`) : el;
  const style = getComputedStyle(shown);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
               || style.boxShadow !== 'none' || style.textDecorationLine.includes('underline');
  return {key: window.__controlKey(el), ring};
}"""


def language_of(page):
    return page.locator('html').get_attribute('lang')


def other_language(language):
    return 'en' if language == 'ka' else 'ka'


def log_in(page, email, password=PASSWORD):
    """Through the login form, as a person does: type, then tap the button."""
    if '/login' not in page.url:
        page.goto('/login')
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').click()


def switch_language(page, code):
    """Through the language switch in the menu (opening the menu first on a phone)."""
    toggler = page.locator('.navbar-toggler')
    if toggler.is_visible():
        toggler.click()
        expect(page.locator('#mainnav')).to_be_visible()
    with page.expect_navigation():
        page.locator(f'#mainnav [lang="{code}"]').click()
    assert language_of(page) == code, f'{page.url} did not switch to {code}'


def assert_error_announced(page, selector, words):
    """The field is marked invalid and names the element saying what is wrong, so a screen
    reader reads the error with the field."""
    field = page.locator(selector)
    expect(field).to_have_attribute('aria-invalid', 'true')
    ids = (field.get_attribute('aria-describedby') or '').split()
    said = ' '.join(page.locator(f'[id="{i}"]').inner_text() for i in ids)
    assert words in said, f'{selector} is described by {ids}: {said!r}, not {words!r}'


class Journey:
    """One journey's pages, screenshots and accessibility findings."""

    def __init__(self, name, browser, base):
        self.name = re.sub(r'[^\w.-]+', '-', name).strip('-')
        self.browser, self.base = browser, base
        self.folder = SCREENSHOTS / 'journeys' / self.name
        self.steps, self.contexts, self.findings = 0, [], []
        self.without_javascript = set()

    def open(self, device, *, javascript=True):
        """A new browser (context) on `device`: its own cookies, nobody logged in."""
        context = self.browser.new_context(
            base_url=self.base, java_script_enabled=javascript, accept_downloads=True, **device
        )
        self.contexts.append(context)
        if not javascript:
            self.without_javascript.add(context)
        return context.new_page()

    def look(self, page, what, *, both=True, keyboard=False):
        """Check and photograph the page; with `both`, again in the other language (through
        the switch, and back). Only for pages whose address shows them again (GET)."""
        self.steps += 1
        self._check(page, what, keyboard=keyboard)
        if both:
            language = language_of(page)
            switch_language(page, other_language(language))
            self._check(page, what, keyboard=False)
            switch_language(page, language)

    def _check(self, page, what, *, keyboard):
        language = language_of(page)
        page.evaluate('document.fonts.ready.then(() => true)')  # widths in the served font
        if page.context not in self.without_javascript:
            self._axe(page, f'{what} ({language})')
            if keyboard:
                assert_keyboard_reaches_everything(page)
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f'{self.steps:02d}-{what}-{language}.png'
        page.screenshot(path=str(self.folder / name), full_page=True)

    def _axe(self, page, where):
        if not page.evaluate('() => !!window.axe'):
            # Through the DevTools protocol, which the page's Content-Security-Policy does not
            # govern: a <script> tag would be refused (script-src 'self'), rightly.
            page.evaluate('() => {\n' + AXE.read_text('utf-8') + '\n}')
        violations = page.evaluate(RUN_AXE)
        blocking = [v for v in violations if v['impact'] in BLOCKING]
        for v in violations:
            if v['impact'] not in BLOCKING:
                self.findings.append({'page': where, 'url': page.url, **v})
        assert not blocking, f'axe on {where} {page.url}:\n' + json.dumps(
            blocking, ensure_ascii=False, indent=1
        )

    def close(self):
        for context in self.contexts:
            context.close()
        if self.findings:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / 'axe-findings.json').write_text(
                json.dumps(self.findings, ensure_ascii=False, indent=1), encoding='utf-8'
            )


def assert_keyboard_reaches_everything(page, limit=250):
    """Tab from the top of the page: every visible control gets the focus, and shows it."""
    page.evaluate(CONTROL_KEY)
    controls = page.evaluate(CONTROLS)
    page.evaluate(
        '() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }'
    )
    page.keyboard.press('Tab')
    reached, unseen, first = [], [], None
    for _ in range(limit):
        now = page.evaluate(FOCUSED)
        if now is None or now['key'] == first:
            break
        first = first or now['key']
        reached.append(now['key'])
        if not now['ring']:
            unseen.append(now['key'])
        page.keyboard.press('Tab')
    missing = [c for c in controls if c not in reached]
    assert not missing, f'{page.url}: Tab never reaches {missing}'
    assert not unseen, f'{page.url}: the focus does not show on {unseen}'
