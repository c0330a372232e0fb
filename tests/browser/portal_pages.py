"""What the portal's browser tests share: signing a contact in at the portal's own address, and
the checks every portal page passes at phone size (no sideways scrolling at 360 px, touch
targets of 44 px, a label for every field, under 150 KB, axe-core finds nothing serious)."""
from pathlib import Path

from tests.portal_world import PASSWORD

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGE_BUDGET = 150 * 1024


def portal_sign_in(browser, world, key, password=PASSWORD):
    browser.open(f"/p/{world.slug}/login")
    browser.wait_for("input[name=login]").send_keys(world.emails[key])
    browser.find("input[name=password]").send_keys(password)
    browser.click_through("form[action*='/login'] button[type=submit]")


def layout_problems(browser):
    """At the window's width: what scrolls sideways, touch targets under 44 px, fields with no
    label (read in one script, so the page cannot change between two reads)."""
    return browser.driver.execute_script("""
        const problems = [];
        if (document.documentElement.scrollWidth > window.innerWidth) {
            problems.push('scrolls sideways: ' + document.documentElement.scrollWidth);
        }
        const targets = 'a, button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), .stars label, label.check';
        for (const el of document.querySelectorAll(targets)) {
            const box = el.getBoundingClientRect();
            const inline = el.tagName === 'A' && el.closest('p, .body, .article-body, .snippet, .hint');
            if (box.width === 0 || inline || el.closest('.stars') && el.tagName !== 'LABEL') continue;
            if (box.height < 44) problems.push('small target: ' + el.outerHTML.slice(0, 80) + ' ' + box.height);
        }
        for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
            const named = el.labels && el.labels.length || el.getAttribute('aria-label');
            if (!named) problems.push('no label: ' + el.outerHTML.slice(0, 80));
        }
        return problems;
    """)


def page_weight(browser):
    """Bytes the page needed (decoded, so the most it can cost), the document and every file."""
    return browser.driver.execute_script("""
        const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
        return entries.reduce((sum, e) => sum + (e.decodedBodySize || e.encodedBodySize || 0), 0);
    """)


def axe_violations(browser):
    """axe-core's serious and critical findings (WCAG 2 A and AA rules), run from the file
    npm installed (scripts/bootstrap.sh --tests): no network."""
    assert AXE.exists(), "axe-core is missing: run scripts/bootstrap.sh --tests (npm ci --prefix tests/browser/axe)"
    browser.driver.execute_script(AXE.read_text())
    found = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})
           .then(r => done(r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
           .catch(e => done(['axe failed: ' + e]));
    """)
    return found


def checked_at_phone_size(browser, width=360):
    """The page's layout problems at `width` px (a 360 px phone), then back to the size it had."""
    size = browser.driver.get_window_size()
    browser.driver.set_window_size(width, 780)
    try:
        return layout_problems(browser)
    finally:
        browser.driver.set_window_size(size["width"], size["height"])
