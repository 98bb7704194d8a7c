"""Old addresses of a renamed guide, opened in Chromium from disk and from a web server:
a renamed chapter's old page (B1, now B3) and a respelled heading's old anchor land on
the new page and heading; a page merged into another (A5 into A0) lands on it."""
import pytest
from selenium.webdriver.support.ui import WebDriverWait

# (old address, page it must land on, heading it must land on or None)
CASES = [
    ("b1.html", "b3.html", None),
    ("b1.html#armored-cars", "b3.html", "armoured-cars"),
    ("b1.html#safety-switches", "b3.html", "safety-switches"),
    ("b3.html#armored-cars", "b3.html", "armoured-cars"),
    ("a5.html", "a0.html", None),
    ("a5.html#side-effects", "a0.html", None),
]


def land(browser, url):
    """Opens url and says where the browser settled: page, #hash, :target and its place."""
    browser.get(url)
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return document.readyState === 'complete' && !!document.querySelector('article.chapter')"))
    # The moved-anchor script replaces an old hash as the page loads.
    WebDriverWait(browser, 5).until(lambda b: b.execute_script("return location.hash") != "#armored-cars")
    return browser.execute_script(
        "var t = document.querySelector(':target');"
        "return [location.pathname.split('/').pop(), location.hash.slice(1), t ? t.id : null,"
        " t ? Math.round(t.getBoundingClientRect().top) : null, window.innerHeight];")


def check(landed, page, heading):
    where, hash_, target, top, height = landed
    assert where == page
    if heading:
        assert (hash_, target) == (heading, heading)
        assert 0 <= top < height - 50, "the heading is scrolled into view"


@pytest.mark.parametrize("old, page, heading", CASES)
def test_old_address_from_disk(browser, sites, old, page, heading):
    path, _, fragment = old.partition("#")
    check(land(browser, (sites["renamed"] / path).as_uri() + ("#" + fragment if fragment else "")), page, heading)


@pytest.mark.parametrize("old, page, heading", CASES)
def test_old_address_from_server(browser, server, old, page, heading):
    check(land(browser, f"{server}/renamed/{old}"), page, heading)


def test_redirect_page_without_script(sites):
    """Where scripts do not run, the old address still leads on: an instant refresh and a
    visible link, marked noindex, with the new page as canonical."""
    text = (sites["renamed"] / "b1.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=b3.html">' in text
    assert '<a href="b3.html">B3: Designing CAR-T cells</a>' in text
    assert '<meta name="robots" content="noindex">' in text
    assert '<link rel="canonical" href="https://example.org/renamed/b3.html">' in text
