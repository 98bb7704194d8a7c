"""'Listen to this page' in Chromium: with speech synthesis (a stub that records what it is
asked to say), the chapter is read sentence by sentence in the page's language, the
sentence being read is marked, and pause, resume and stop work; without it, the control
is not shown."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

STUB = """
window.__spoken = [];
window.__pending = null;
var stub = {
  speaking: false, paused: false,
  speak: function (u) { window.__spoken.push({ text: u.text, lang: u.lang }); window.__pending = u; this.speaking = true; },
  pause: function () { this.paused = true; window.__paused = true; },
  resume: function () { this.paused = false; window.__paused = false; },
  cancel: function () { window.__pending = null; this.speaking = false; window.__cancelled = (window.__cancelled || 0) + 1; },
  getVoices: function () { return []; }
};
Object.defineProperty(window, "speechSynthesis", { value: stub, configurable: true });
window.__finish = function () { var u = window.__pending; window.__pending = null; if (u && u.onend) u.onend(new Event("end")); };
"""

NO_SPEECH = 'Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });'


def open_with(browser, url, script):
    handle = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})
    try:
        browser.get(url)
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": handle["identifier"]})


def button(browser, name):
    return browser.find_element(By.CSS_SELECTOR, f".listen [data-listen='{name}']")


def test_reads_sentence_by_sentence_with_controls(browser, sites):
    open_with(browser, (sites["shipped"] / "a1.html").as_uri(), STUB)
    play = button(browser, "play")
    assert play.is_displayed() and play.text == "Listen to this page"
    play.click()
    spoken = browser.execute_script("return window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "en"
    first = spoken[0]["text"]
    assert first == browser.find_element(By.CSS_SELECTOR, ".chapter h1").text
    marked = browser.execute_script("return CSS.highlights.has('guide-reading') && CSS.highlights.get('guide-reading').size")
    assert marked == 1
    # The next sentence follows when one ends: sentences, not whole blocks.
    for _ in range(3):
        browser.execute_script("window.__finish()")
    spoken = browser.execute_script("return window.__spoken.map(s => s.text)")
    assert len(spoken) == 4
    assert all(len(s) < 400 for s in spoken)
    marked_text = browser.execute_script("return [...CSS.highlights.get('guide-reading')][0].toString()")
    assert marked_text == spoken[-1]
    # Pause, resume, stop.
    assert button(browser, "pause").is_displayed() and not play.is_displayed()
    button(browser, "pause").click()
    assert browser.execute_script("return window.__paused") is True
    assert button(browser, "resume").is_displayed()
    button(browser, "resume").click()
    assert browser.execute_script("return window.__paused") is False
    button(browser, "stop").click()
    assert play.is_displayed() and not button(browser, "stop").is_displayed()
    assert browser.execute_script("return CSS.highlights.has('guide-reading')") is False


def test_hidden_without_speech(browser, sites):
    open_with(browser, (sites["shipped"] / "a1.html").as_uri(), NO_SPEECH)
    assert not browser.find_element(By.CSS_SELECTOR, ".listen").is_displayed()
