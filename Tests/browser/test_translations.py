"""A translated guide as a reader uses it, in headless Chromium, from disk and from a web
server: the language switcher (keeping the reader's place), the notice on a chapter not yet
translated, and search in Spanish (stems, accents) on the shipped guide's Spanish pages."""
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from test_search import open_search, results


def origins(sites, server):
    return {"file": sites["shipped"].as_uri() + "/", "http": f"{server}/shipped/"}


# (query as a reader types it, the Spanish page its first result must be on).
SPANISH_QUERIES = [
    ("fiebre", "es/a2.html"),
    ("fiebres", "es/a2.html"),        # plural: Snowball's Spanish stem
    ("sindrome de liberacion", "es/a2.html"),  # typed without accents
    ("SÍNDROME", "es/a2.html"),
    ("llamar al equipo", "es/a2.html"),
    ("sistema inmunitario", "es/a0.html"),
    ("tormenta de citocinas", "es/a2.html"),  # the Spanish glossary's alias of SLC
    ("liberasion de citosinas", "es/a2.html"),  # misspelled
]


@pytest.mark.parametrize("origin", ["file", "http"])
@pytest.mark.parametrize("text,page", SPANISH_QUERIES)
def test_spanish_search_finds_spanish_pages(browser, sites, server, origin, text, page):
    open_search(browser, origins(sites, server)[origin] + "es/search.html?q=" + urllib.parse.quote(text))
    found = results(browser)
    status = browser.find_element(By.ID, "search-status").text
    assert found, f"{text!r}: {status}"
    assert "/es/" in found[0][1] and found[0][1].split("#")[0].endswith(page), f"{text!r}: {[r[1] for r in found[:3]]}"
    assert "<mark>" in found[0][3]
    # The status is the Spanish strings file's.
    assert "resultado" in status.lower(), status


@pytest.mark.parametrize("origin", ["file", "http"])
def test_switcher_keeps_the_section(browser, sites, server, origin):
    base = origins(sites, server)[origin]
    browser.get(base + "a2.html#when-to-call-your-care-team")
    browser.find_element(By.CSS_SELECTOR, ".language-switcher a[hreflang='es']").click()
    assert browser.current_url == base + "es/a2.html#when-to-call-your-care-team"
    assert browser.execute_script("return document.documentElement.lang") == "es"
    heading = browser.execute_script("return document.getElementById('when-to-call-your-care-team').textContent")
    assert heading.startswith("Cuándo llamar")
    browser.find_element(By.CSS_SELECTOR, ".language-switcher a[hreflang='en']").click()
    assert browser.current_url == base + "a2.html#when-to-call-your-care-team"


def test_untranslated_chapter_shows_a_notice_in_spanish(browser, sites):
    browser.get((sites["shipped"] / "es" / "a3.html").as_uri())
    notice = browser.find_element(By.CSS_SELECTOR, ".translation-notice")
    assert notice.is_displayed()
    assert notice.text == "Esta página todavía no está disponible en español. Se muestra en inglés."
    assert browser.find_element(By.CSS_SELECTOR, ".chapter-body").get_attribute("lang") == "en"
    # Its links stay in Spanish pages; its styles load from the site's top.
    assert browser.execute_script("return getComputedStyle(document.querySelector('.site-header')).display") != "inline"
    for link in browser.find_elements(By.CSS_SELECTOR, ".chapter-body a[href$='.html']"):
        assert "/es/" in link.get_attribute("href"), link.get_attribute("href")


def test_stale_translation_links_to_the_current_source(browser, sites):
    browser.get((sites["translated"] / "es" / "a2.html").as_uri())
    link = browser.find_element(By.CSS_SELECTOR, ".translation-notice a")
    link.click()
    assert browser.current_url == (sites["translated"] / "a2.html").as_uri()
    assert browser.execute_script("return document.documentElement.lang") == "en"
