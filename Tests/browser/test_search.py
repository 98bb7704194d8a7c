"""Search as a reader uses it, in headless Chromium, from disk (file://) and from a web server."""
import re
import pathlib
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT
from search_queries import FIXTURE, SHIPPED


def open_search(browser, url):
    browser.get(url)
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.getAttribute('data-search-ready')"))


def results(browser):
    """(page, href, title, excerpt HTML) of each result, in order; the href without the
    `?hl=` words the page marks (test_highlights.py checks those)."""
    out = []
    for item in browser.find_elements(By.CSS_SELECTOR, "#search-results li.search-result"):
        link = item.find_element(By.TAG_NAME, "a")
        href = re.sub(r"\?hl=[^#]*", "", link.get_attribute("href"))
        out.append((href.rsplit("/", 1)[-1].split("#")[0], href, link.text,
                    item.find_element(By.CLASS_NAME, "result-excerpt").get_attribute("innerHTML")))
    return out


def base_urls(sites, server, site):
    return {"file": sites[site].as_uri() + "/", "http": f"{server}/{site}/"}


def run_query_set(browser, base, queries):
    failures = []
    for query, kind, pages in queries:
        open_search(browser, base + "search.html?q=" + urllib.parse.quote(query))
        top = [r[0] for r in results(browser)[:3]]
        if not any(page in top for page in pages):
            failures.append(f"{kind}: {query!r} expected {pages}, got {top}")
    return failures


@pytest.mark.parametrize("origin", ["file", "http"])
@pytest.mark.parametrize("site,queries", [("shipped", SHIPPED), ("fixture", FIXTURE)], ids=["shipped", "fixture"])
def test_expected_page_in_first_three(browser, sites, server, site, queries, origin):
    assert len(SHIPPED) >= 40
    failures = run_query_set(browser, base_urls(sites, server, site)[origin], queries)
    share = 1 - len(failures) / len(queries)
    print(f"{site} from {origin}: {share:.0%} of {len(queries)} queries have the expected page in the first three")
    assert share >= 0.95, "\n".join(failures)


def test_results_show_title_path_link_and_marked_excerpt(browser, sites):
    open_search(browser, (sites["shipped"] / "search.html").as_uri() + "?q=cytokine+release+syndrome")
    page, href, title, excerpt = results(browser)[0]
    assert href.endswith("a2.html#cytokine-release-syndrome-crs")
    assert title == "Side effects and when to call your care team › Cytokine release syndrome (CRS)"
    assert "<mark>cytokine</mark>" in excerpt.lower() or "<mark>cytokines</mark>" in excerpt.lower()
    status = browser.find_element(By.ID, "search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.text.endswith("results for “cytokine release syndrome”.")


def test_no_results_and_did_you_mean(browser, sites):
    base = (sites["shipped"] / "search.html").as_uri()
    open_search(browser, base + "?q=qwertyuiop")
    assert browser.find_element(By.ID, "search-status").text == "No results for “qwertyuiop”."
    assert results(browser) == []
    open_search(browser, base + "?q=lupis")
    assert "Did you mean lupus?" in browser.find_element(By.ID, "search-status").text


def test_stop_words_do_not_drown_results(browser, sites):
    open_search(browser, (sites["shipped"] / "search.html").as_uri() + "?q=the+can+driving")
    # The chapters about driving: the basics (A1) and going back to driving (C7).
    assert results(browser)[0][0] in ("a1.html", "c7.html")


def test_escaped_text_in_results(browser, sites):
    open_search(browser, (sites["fixture"] / "search.html").as_uri() + "?q=quoted")
    page, href, title, excerpt = results(browser)[0]
    assert title == 'Start <here> & "now" › Frequently asked questions › Is it safe? </script> & "quoted"'
    assert browser.execute_script("return document.querySelectorAll('script').length") >= 3


def test_typing_gives_results_as_you_type(browser, sites):
    browser.get((sites["shipped"] / "search.html").as_uri())
    box = browser.find_element(By.ID, "search-page-input")
    box.send_keys("infec")
    WebDriverWait(browser, 10).until(lambda d: results(d))
    # The chapters about infection: side effects (A2) and avoiding infection (C5).
    assert results(browser)[0][0] in ("a2.html", "c5.html")
    assert "q=infec" in browser.current_url


def test_keyboard(browser, sites):
    browser.get((sites["shipped"] / "a1.html").as_uri())
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    assert browser.switch_to.active_element.get_attribute("id") == "search-input"
    open_search(browser, (sites["shipped"] / "search.html").as_uri() + "?q=apheresis")
    box = browser.find_element(By.ID, "search-page-input")
    box.click()
    box.send_keys(Keys.ARROW_DOWN)
    first = browser.switch_to.active_element
    assert re.sub(r"\?hl=[^#]*", "", first.get_attribute("href")).endswith(results(browser)[0][1].rsplit("/", 1)[-1])
    first.send_keys(Keys.ARROW_DOWN)
    second = browser.switch_to.active_element
    assert second.get_attribute("href") == results(browser)[1][1]
    second.send_keys(Keys.ARROW_UP)
    assert browser.switch_to.active_element.get_attribute("href") == first.get_attribute("href")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "search.html" not in d.current_url)
    assert "a1.html" in browser.current_url


def test_search_form_works_without_javascript(sites):
    html = (sites["shipped"] / "a2.html").read_text()
    assert '<form class="search-box" role="search" aria-label="Search the guide" action="search.html" method="get">' in html
    assert 'name="q"' in html


def test_browser_folds_words_as_the_indexer_does(browser, sites):
    """search.js splits and folds text as SearchText.swift does (docs/search-index.md), and
    has no stemmer of its own: the index carries the forms."""
    open_search(browser, (sites["shipped"] / "search.html").as_uri() + "?q=x")
    words = browser.execute_script("return GuideSearch.words(arguments[0]);", "Café—CAR-T's 2025 Rejections, naïve ÉTUDE 日本語")
    assert words == ["cafe", "car", "t", "s", "2025", "rejections", "naive", "etude", "日本語"]
    assert browser.execute_script("return typeof GuideSearch.stem") == "undefined"


def test_one_list_item_per_result_and_show_more(browser, sites):
    open_search(browser, (sites["shipped"] / "search.html").as_uri() + "?q=cell")
    items = browser.find_elements(By.CSS_SELECTOR, "#search-results > li")
    assert len(items) == 10 and all("search-result" in li.get_attribute("class") for li in items)
    more = browser.find_element(By.CSS_SELECTOR, "button.search-more")
    assert more.is_displayed()
    total = int(browser.find_element(By.ID, "search-status").text.split()[0])
    more.click()
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#search-results > li")) == min(20, total))
