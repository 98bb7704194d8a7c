"""Glossary words on a chapter page, in Chromium: a tap shows the meaning in place with a
link to the full entry (and does not leave the chapter), hover and keyboard focus show it
too, Escape closes it, a screen reader meets the meaning once, and axe finds nothing."""
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium_axe_python import Axe


def first_term(browser, sites):
    browser.get((sites["shipped"] / "a1.html").as_uri())
    link = browser.find_element(By.CSS_SELECTOR, ".chapter-body a.glossary-term")
    box = browser.find_element(By.ID, link.get_attribute("aria-controls"))
    return link, box


def test_tap_shows_meaning_in_place(browser, sites):
    link, box = first_term(browser, sites)
    page = browser.current_url
    assert not box.is_displayed() and link.get_attribute("aria-expanded") == "false"
    # The meaning is no longer a title (heard on every pass), only in the box.
    assert link.find_element(By.CSS_SELECTOR, "dfn, abbr").get_attribute("title") in (None, "")
    link.click()
    assert browser.current_url == page
    assert box.is_displayed() and link.get_attribute("aria-expanded") == "true"
    more = box.find_element(By.TAG_NAME, "a")
    assert more.text == "See the glossary" and "glossary.html#" in more.get_attribute("href")
    assert len(box.text) > len(more.text) + 10
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert not box.is_displayed()
    assert browser.switch_to.active_element == link


def test_a_real_touch_opens_it(browser, sites):
    """A finger's tap (touch events, as a phone sends them), not a mouse click."""
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    try:
        link, box = first_term(browser, sites)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        r = browser.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]", link)
        point = {"x": r[0], "y": r[1]}
        browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
        browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        browser.execute_script("return new Promise(r => setTimeout(r, 300))")
        assert box.is_displayed() and link.get_attribute("aria-expanded") == "true"
        assert browser.current_url.endswith("a1.html")
    finally:
        browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


def test_hover_and_focus_show_it(browser, sites):
    link, box = first_term(browser, sites)
    ActionChains(browser).move_to_element(link).perform()
    assert box.is_displayed()
    ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, ".chapter h1")).perform()
    assert not box.is_displayed()
    browser.execute_script("arguments[0].focus()", link)
    assert box.is_displayed()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_meaning_has_no_axe_violations(browser, sites, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        link, box = first_term(browser, sites)
        link.click()
        axe = Axe(browser)
        axe.inject()
        violations = axe.run()["violations"]
        assert violations == [], Axe.report(violations)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
