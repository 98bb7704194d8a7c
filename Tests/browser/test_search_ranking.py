"""Search ranking and excerpts as a reader meets them: a match in a References section
ranks below the same words in a chapter's text, and an excerpt shows the words of a link
written without any (`[](A3)` reads "A3: …", not a hole)."""
from test_search import open_search, results


def search(browser, sites, query):
    open_search(browser, (sites["shipped"] / "search.html").as_uri() + "?q=" + query.replace(" ", "+"))
    return results(browser)


def test_references_rank_below_the_text(browser, sites):
    found = search(browser, sites, "preventing infections")
    assert found, "no results"
    assert not any(href.endswith("#references") for _, href, _, _ in found[:3]), [r[1] for r in found[:5]]


def test_excerpt_shows_filled_in_link_words(browser, sites):
    found = search(browser, sites, "what has changed read")
    excerpts = [excerpt for page, _, _, excerpt in found if page == "a0.html"]
    assert excerpts, [r[1] for r in found]
    assert any("read A3:" in excerpt.replace("<mark>", "").replace("</mark>", "") for excerpt in excerpts), excerpts
    assert not any("read ." in excerpt for excerpt in excerpts)
