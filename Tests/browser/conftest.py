"""Shared set-up for the browser tests: built sites, a local web server, headless Chromium.

Each test opens pages the way a reader's browser does: from disk (file://) or from a web
server on 127.0.0.1 that the tests start themselves. Nothing here uses the network.
"""
import functools
import http.server
import os
import pathlib
import shutil
import subprocess
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
GUIDE = ROOT / ".build" / "debug" / "guide"
FIXTURES = ROOT / "Tests" / "Fixtures"


def build_site(content: pathlib.Path, output: pathlib.Path) -> pathlib.Path:
    """Builds a guide with the project's templates and returns the site folder."""
    subprocess.run([str(GUIDE), "build", "--content", str(content), "--templates", str(ROOT / "Templates"),
                    "--output", str(output)], check=True, capture_output=True)
    return output


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    """The shipped guide and the fixture guide, built once per test run."""
    base = tmp_path_factory.mktemp("sites")
    # A build updates the guide's published-urls.txt: the renamed fixture's list (of the
    # addresses before its renames) must stay as it is, so a copy is built.
    renamed = shutil.copytree(FIXTURES / "renamed" / "Content", tmp_path_factory.mktemp("renamed") / "Content")
    translated = shutil.copytree(FIXTURES / "translated" / "Content", tmp_path_factory.mktemp("translated") / "Content")
    return {
        "translated": build_site(translated, base / "translated"),
        "shipped": build_site(ROOT / "Content", base / "shipped"),
        "fixture": build_site(FIXTURES / "basic" / "Content", base / "fixture"),
        "renamed": build_site(renamed, base / "renamed"),
    }


@pytest.fixture(scope="session")
def server(sites):
    """A static web server on 127.0.0.1 serving every built site under /<name>/."""
    root = next(iter(sites.values())).parent
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian's chromium and chromium-driver packages."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--allow-file-access-from-files"):
        options.add_argument(argument)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def pages(site: pathlib.Path):
    """Every HTML page of a built site, as paths relative to it."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
