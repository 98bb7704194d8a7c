"""Search in several scripts, in headless Chromium: the Swift indexer and the shipped search.js
agree on folding, forms and shard keys (docs/search-index.md) for English, accented, Cyrillic,
Greek and Hangul words. The fixture guide is Tests/Fixtures/search-words/Content."""
import json
import unicodedata
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from conftest import FIXTURES, build_site
from test_search import open_search, results

# (query, the section whose words it must find first). Each section of A0 holds one language.
WORDS = [
    ("infection", "a0.html#english"),
    ("fever", "a0.html#english"),
    ("fièvre", "a0.html#french"),
    ("fievre", "a0.html#french"),
    ("FIÈVRE", "a0.html#french"),
    ("Müdigkeit", "a0.html#german"),
    ("mudigkeit", "a0.html#german"),
    ("лихорадка", "a0.html#russian"),
    ("Лихорадка", "a0.html#russian"),
    ("πυρετός", "a0.html#greek"),
    ("πυρετος", "a0.html#greek"),
    ("ΠΥΡΕΤΟΣ", "a0.html#greek"),
    ("열", "a0.html#korean"),
    ("발열", "a0.html#korean"),
    # The same Hangul typed as jamo (NFD), as some input methods give it.
    (unicodedata.normalize("NFD", "발열"), "a0.html#korean"),
]

# Misspellings, found by typo matching: (query, section, the word suggested).
TYPOS = [
    ("infcetion", "a0.html#english", "infection"),
    ("mudigkiet", "a0.html#german", "mudigkeit"),
    ("лихорадко", "a0.html#russian", "лихорадка"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(FIXTURES / "search-words" / "Content", tmp_path_factory.mktemp("search-words") / "site")


def query(browser, site, text):
    open_search(browser, (site / "search.html").as_uri() + "?q=" + urllib.parse.quote(text))
    return results(browser), browser.find_element(By.ID, "search-status").text


@pytest.mark.parametrize("text,section", WORDS)
def test_each_word_is_found_in_its_section(browser, site, text, section):
    found, status = query(browser, site, text)
    assert found, f"{text!r}: {status}"
    href, excerpt = found[0][1], found[0][3]
    assert href.endswith(section), f"{text!r}: {[r[1] for r in found]}"
    assert "<mark>" in excerpt
    assert "Did you mean" not in status


def test_an_inflection_finds_the_word_through_the_index_forms(browser, site):
    # "infections" is written only in A1; A0's English section has only "infection". The index
    # lists both forms with the Snowball term "infect", so each finds both, with no suggestion.
    found, status = query(browser, site, "infections")
    hrefs = [r[1] for r in found]
    assert any(h.endswith("a0.html#english") for h in hrefs) and any(h.endswith("a1.html") for h in hrefs), hrefs
    assert "Did you mean" not in status
    english = next(r for r in found if r[1].endswith("a0.html#english"))
    assert "<mark>infection</mark>" in english[3]
    found, _ = query(browser, site, "infection")
    assert any(r[1].endswith("a1.html") for r in found)


@pytest.mark.parametrize("text", ["infecting", "fevers"])
def test_an_inflection_the_guide_never_writes_finds_the_term_it_extends(browser, site, text):
    # Neither form is in the guide; each starts with a term of the index ("infect", "fever").
    found, status = query(browser, site, text)
    assert found and found[0][1].endswith("a0.html#english"), [r[1] for r in found]
    assert "Did you mean" not in status


@pytest.mark.parametrize("text,section,suggestion", TYPOS)
def test_a_misspelling_is_found_and_corrected(browser, site, text, section, suggestion):
    found, status = query(browser, site, text)
    assert any(r[1].endswith(section) for r in found[:3]), f"{text!r}: {[r[1] for r in found]}"
    assert f"Did you mean {suggestion}?" in status


def test_browser_and_indexer_agree_on_shard_files(browser, site):
    """The shard a query loads is the file the indexer wrote the word's vocabulary to."""
    open_search(browser, (site / "search.html").as_uri() + "?q=" + urllib.parse.quote("발열 열 πυρετός"))
    loaded = browser.execute_script("return GuideSearch.loaded.slice()")
    # Each word's shard, found by the browser's binary search over the manifest's first keys,
    # was loaded, and is the file the indexer wrote the word's entry to.
    for word in ("발열", "열", "πυρετοσ"):
        shard = browser.execute_script("return GuideSearch.shardName(GuideSearch.shardKey(arguments[0]));", word)
        path = f"search/v/{shard}.js"
        assert path in loaded and (site / path).exists(), (word, path, loaded)
        assert json.dumps(word, ensure_ascii=False) in (site / path).read_text(encoding="utf-8"), (word, path)
    keys = browser.execute_script(
        "return arguments[0].map(function (w) { return GuideSearch.shardKey(GuideSearch.words(w)[0]); });",
        ["열", "발열", "Лихорадка", "πυρετός", "Müdigkeit"])
    assert keys == ["열", "발열", "ли", "πυ", "mu"]
