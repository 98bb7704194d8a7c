"""The call card in Chromium: it prints on one sheet (A4 and Letter), and the print edition
starts each chapter on a new page."""
import base64
import re

import pytest
from selenium.webdriver.common.print_page_options import PrintOptions


def pdf_pages(browser, url, width, height):
    browser.get(url)
    options = PrintOptions()
    options.page_width, options.page_height = width, height
    pdf = base64.b64decode(browser.print_page(options))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("paper", [("A4", 21.0, 29.7), ("Letter", 21.59, 27.94)])
@pytest.mark.parametrize("name", ["shipped", "fixture"])
def test_call_card_prints_on_one_sheet(browser, sites, name, paper):
    _, width, height = paper
    assert pdf_pages(browser, (sites[name] / "call-card.html").as_uri(), width, height) == 1


def test_print_edition_starts_each_chapter_on_a_new_page(browser, sites):
    site = sites["fixture"]
    chapters = len(re.findall(r'<article class="print-chapter"', (site / "print.html").read_text()))
    assert pdf_pages(browser, (site / "print.html").as_uri(), 21.0, 29.7) >= chapters + 1
