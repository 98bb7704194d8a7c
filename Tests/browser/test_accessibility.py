"""Every page meets WCAG 2.1 AA as axe-core measures it, in light and dark mode."""
import re

import pytest
from selenium_axe_python import Axe

from conftest import FIXTURES, ROOT, pages

SITES = {"shipped": ROOT / "Content", "fixture": FIXTURES / "basic" / "Content"}
# The shipped guide's Spanish chapters, and one it shows in English: every other Spanish
# chapter page is the same page as that one with other words.
SPANISH_CHAPTERS = {"es/a0.html", "es/a2.html", "es/a3.html"}


def page_list():
    """(site, page) pairs, from a quick build of each guide's page names; the translated
    fixture's Spanish pages show a stale translation's notice."""
    import subprocess, tempfile, pathlib, shutil
    from conftest import build_site
    result = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in SITES.items():
            site = build_site(content, pathlib.Path(tmp) / name)
            result += [(name, page) for page in pages(site)
                       if not re.fullmatch(r"es/[a-z]+[0-9]+\.html", page) or page in SPANISH_CHAPTERS]
        translated = shutil.copytree(FIXTURES / "translated" / "Content", pathlib.Path(tmp) / "translated-content")
        site = build_site(translated, pathlib.Path(tmp) / "translated")
        result += [("translated", page) for page in pages(site) if page.startswith("es/")]
    return result


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("site,page", page_list())
def test_no_axe_violations(browser, sites, site, page, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.get((sites[site] / page).as_uri())
    axe = Axe(browser)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    assert results["testEngine"]["version"].startswith("4."), "expected axe-core 4.x"
    violations = results["violations"]
    assert violations == [], f"{site}/{page} ({scheme}):\n" + Axe.report(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("query", ["cytokine storm", "lupis", "qwertyuiop"])
def test_search_results_have_no_axe_violations(browser, sites, query, scheme):
    from selenium.webdriver.support.ui import WebDriverWait
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.get((sites["shipped"] / "search.html").as_uri() + "?q=" + query.replace(" ", "+"))
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.getAttribute('data-search-ready')"))
    axe = Axe(browser)
    axe.inject()
    violations = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})["violations"]
    assert violations == [], f"search for {query!r} ({scheme}):\n" + Axe.report(violations)


def test_open_faq_answers_have_no_axe_violations(browser, sites):
    """FAQ answers, opened, in both modes (closed ones are not rendered, so axe cannot see them)."""
    for scheme in ("light", "dark"):
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        browser.get((sites["shipped"] / "a2.html").as_uri())
        browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; });")
        axe = Axe(browser)
        axe.inject()
        violations = axe.run()["violations"]
        assert violations == [], f"a2.html with FAQ answers open ({scheme}):\n" + Axe.report(violations)
