"""`guide serve` in Chromium: live reload keeps the reader's place, a failed rebuild shows its
problems over the last good page, the fix clears them, and a first build that fails still
serves a page that shows why. The built site itself never carries the live-reload script."""
import pathlib
import shutil
import socket
import subprocess
import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import GUIDE


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def guide_folder(tmp_path):
    subprocess.run([str(GUIDE), "init", str(tmp_path / "g")], check=True, capture_output=True)
    return tmp_path / "g"


def serve(folder, port):
    process = subprocess.Popen([str(GUIDE), "serve", "--port", str(port)], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("guide serve did not start")


def across_reload(browser):
    """A wait whose condition reads the page while it may be reloading: an element of the
    page being replaced is stale, which means look again, not fail."""
    return WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))


def edit(path: pathlib.Path, old, new):
    path.write_text(path.read_text().replace(old, new))


def test_reload_overlay_and_fix(browser, guide_folder):
    port = free_port()
    process = serve(guide_folder, port)
    try:
        chapter = guide_folder / "Content" / "B1-after-you-go-home.md"
        browser.get(f"http://127.0.0.1:{port}/b1.html")
        WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.readyState") == "complete")
        time.sleep(0.5)  # the event stream is open
        browser.execute_script("window.guideTestMarker = 1")

        # A good edit: the page reloads by itself and shows the new words.
        edit(chapter, "Rest as much as you need.", "Rest as much as you need. Walk a little each day.")
        across_reload(browser).until(lambda b: "Walk a little each day." in b.find_element(By.TAG_NAME, "main").text)
        assert browser.execute_script("return window.guideTestMarker") is None  # it was a real reload

        # A broken link: the last good page stays, with the problem over it.
        edit(chapter, "read [](A2) again", "read [](A9) again")
        overlay = WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.ID, "guide-serve-problems"))[0]
        assert overlay.get_attribute("role") == "alert"
        assert "Content/B1-after-you-go-home.md:15:" in overlay.text
        assert "no chapter with id 'A9'" in overlay.text
        assert "Walk a little each day." in browser.find_element(By.TAG_NAME, "main").text

        # The fix: the page reloads and the problems are gone.
        edit(chapter, "read [](A9) again", "read [](A2) again")
        WebDriverWait(browser, 20).until(lambda b: not b.find_elements(By.ID, "guide-serve-problems"))

        # What guide build writes never has the script.
        site = guide_folder / "Site"
        assert not any("live-reload" in p.read_text() for p in site.rglob("*.html"))
        assert not (site / "serve").exists()
    finally:
        process.kill()


def test_first_build_fails_and_keeps_serving(browser, guide_folder):
    chapter = guide_folder / "Content" / "A1-welcome.md"
    edit(chapter, "read [](A2).", "read [](A7).")
    port = free_port()
    process = serve(guide_folder, port)
    try:
        browser.get(f"http://127.0.0.1:{port}/")
        overlay = WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.ID, "guide-serve-problems"))[0]
        assert "no chapter with id 'A7'" in overlay.text
        assert "has not been built yet" in browser.find_element(By.TAG_NAME, "h1").text
        edit(chapter, "read [](A7).", "read [](A2).")
        across_reload(browser).until(lambda b: b.find_element(By.TAG_NAME, "h1").text == "My first guide")
    finally:
        process.kill()
