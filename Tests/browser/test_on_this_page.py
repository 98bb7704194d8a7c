"""'On this page' in Chromium: beside the text and open on a wide screen, a closed list
under the title on a phone, and the section being read marked as the reader scrolls."""
import pytest
from selenium.webdriver.common.by import By


def open_page(browser, url, width, height):
    browser.set_window_size(width, height)
    browser.get(url)
    return browser.find_element(By.CSS_SELECTOR, ".on-this-page")


@pytest.fixture
def restore_size(browser):
    yield
    browser.set_window_size(1280, 1000)


def test_wide_screen_beside_the_text_and_current_section(browser, sites, restore_size):
    url = (sites["shipped"] / "a1.html").as_uri()
    box = open_page(browser, url, 1400, 900)
    assert box.get_attribute("open") is not None
    body = browser.find_element(By.CSS_SELECTOR, ".chapter-body")
    assert box.rect["x"] >= body.rect["x"] + body.rect["width"]
    links = box.find_elements(By.CSS_SELECTOR, "a")
    assert len(links) >= 3
    assert links[0].get_attribute("aria-current") == "true"
    # Scroll the third section's heading to the top: its link is the current one.
    target = links[2].get_attribute("hash")[1:]
    browser.execute_script("document.getElementById(arguments[0]).scrollIntoView(); window.dispatchEvent(new Event('scroll'))", target)
    browser.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    current = [a.get_attribute("hash")[1:] for a in box.find_elements(By.CSS_SELECTOR, "a[aria-current='true']")]
    assert current == [target]
    # It stays in view beside the text while the reader scrolls.
    assert box.is_displayed() and box.rect["y"] >= browser.execute_script("return window.scrollY")


def test_phone_closed_under_the_title(browser, sites, restore_size):
    box = open_page(browser, (sites["shipped"] / "a1.html").as_uri(), 390, 844)
    assert box.get_attribute("open") is None
    title = browser.find_element(By.CSS_SELECTOR, ".chapter h1")
    body = browser.find_element(By.CSS_SELECTOR, ".chapter-body")
    assert title.rect["y"] < box.rect["y"] < body.rect["y"] + 200
    box.find_element(By.TAG_NAME, "summary").click()
    assert box.get_attribute("open") is not None
    assert box.find_elements(By.CSS_SELECTOR, "a")[0].is_displayed()
