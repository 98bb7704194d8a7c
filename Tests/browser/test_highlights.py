"""Landing on the words you searched for: opening a search result marks the words the
search matched on the page, scrolls to the first one in the section it points at, and
'Clear highlights' takes the marks away; from disk and from a server."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import pages  # noqa: F401  (the shared fixtures come from conftest)
from test_search import base_urls, open_search, results


@pytest.mark.parametrize("how", ["file", "http"])
def test_result_marks_its_words_and_clears(browser, sites, server, how):
    base = base_urls(sites, server, "shipped")[how]
    open_search(browser, base + "search.html?q=cytokine+storm")
    assert results(browser)
    href = browser.find_element(By.CSS_SELECTOR, "#search-results li.search-result a").get_attribute("href")
    assert "?hl=" in href
    browser.get(href)
    marks = WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".chapter-body mark.search-hit"))
    words = {m.text.lower() for m in marks}
    assert words & {"cytokine", "storm", "crs"}, words
    # The first mark after the result's heading is in view.
    anchor = href.split("#", 1)[1] if "#" in href else None
    first = browser.execute_script("""
        var target = arguments[0] ? document.getElementById(arguments[0]) : null;
        var marks = [...document.querySelectorAll('.chapter-body mark.search-hit')];
        var m = marks.find(m => !target || (target.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)) || marks[0];
        var r = m.getBoundingClientRect(); return [r.top, innerHeight];""", anchor)
    assert 0 <= first[0] <= first[1]
    button = browser.find_element(By.CSS_SELECTOR, ".search-hits button")
    assert button.is_displayed() and button.text == "Clear highlights"
    button.click()
    assert browser.find_elements(By.CSS_SELECTOR, "mark.search-hit") == []
    assert not button.is_displayed()


def test_no_search_no_marks(browser, sites):
    browser.get((sites["shipped"] / "a2.html").as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "mark.search-hit") == []
    assert not browser.find_element(By.CSS_SELECTOR, ".search-hits button").is_displayed()
