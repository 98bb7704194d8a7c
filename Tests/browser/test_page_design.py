"""How a chapter page looks to a reader, in headless Chromium: only a draft looks like one."""
from selenium.webdriver.common.by import By


def test_published_chapter_title_is_not_styled_as_a_draft(browser, sites):
    browser.get((sites["shipped"] / "a2.html").as_uri())
    title = browser.find_element(By.CSS_SELECTOR, ".chapter h1")
    style = browser.execute_script("var s = getComputedStyle(arguments[0]); return [s.borderTopStyle, s.backgroundColor];", title)
    assert style[0] != "dashed", style
    assert not browser.find_elements(By.CSS_SELECTOR, ".draft-banner")
