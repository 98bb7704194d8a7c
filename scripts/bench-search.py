#!/usr/bin/env python3
"""Search benchmark: bytes a first query loads, and query latency, in headless Chromium.

Usage: .venv/bin/python scripts/bench-search.py [CHAPTERS ...]   (default: 100 1000 10000)

For each size it generates a guide (scripts/generate-guide.py), builds it with the release
binary, opens search.html from disk and, for each query, measures:
- bytes: the search script, the manifest, and every shard and excerpt file the query
  loaded, cold (a fresh page), summed from the files on disk;
- cold: milliseconds from starting the query to its results (with excerpts) in the page;
- typing: milliseconds from an input event (a keystroke) to the results being shown,
  with the page warm, including the search box's debounce.
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[1]
GUIDE = ROOT / ".build" / "release" / "guide"
QUERIES = ["cytokine storm", "lupus", "infec", "can I drive", "lupis", "apheresis", "side effects", "CRS",
           "regulatory T cells", "fever after infusion", "myasthenia gravis", "how is CAR-T made"]


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
    driver.set_script_timeout(60)
    return driver


def measure(driver, site, query):
    driver.get((site / "search.html").as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !!window.GuideSearch"))
    cold = driver.execute_async_script("""
        var done = arguments[arguments.length - 1], q = arguments[0], t0 = performance.now();
        GuideSearch.search(q).then(function (outcome) {
          return Promise.all(GuideSearch.describe(outcome, 10)).then(function () { done(performance.now() - t0); });
        });""", query)
    files = ["static/search.js", "search/index.js"] + driver.execute_script("return GuideSearch.loaded.slice()")
    size = sum((site / f).stat().st_size for f in set(files) if (site / f).exists())
    typing = []
    for _ in range(5):
        typing.append(driver.execute_async_script("""
            var done = arguments[arguments.length - 1], q = arguments[0];
            var box = document.getElementById('search-page-input'), root = document.documentElement;
            var before = root.getAttribute('data-search-ready');
            var observer = new MutationObserver(function () {
              if (root.getAttribute('data-search-ready') !== before) { observer.disconnect(); done(performance.now() - t0); }
            });
            observer.observe(root, { attributes: true });
            box.value = q;
            var t0 = performance.now();
            box.dispatchEvent(new Event('input', { bubbles: true }));""", query + (" " * (_ % 2))))
    return size, cold, statistics.median(typing)


def main():
    sizes = [int(n) for n in sys.argv[1:]] or [100, 1000, 10000]
    driver = browser()
    print(f"{'chapters':>8} {'query':<22} {'KB loaded':>9} {'cold ms':>8} {'typing ms':>9}")
    summary = []
    try:
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                content, site = pathlib.Path(tmp) / "Content", pathlib.Path(tmp) / "Site"
                subprocess.run([sys.executable, str(ROOT / "scripts" / "generate-guide.py"), str(n), str(content)], check=True)
                subprocess.run([str(GUIDE), "build", "--content", str(content), "--templates", str(ROOT / "Templates"),
                                "--output", str(site)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                rows = []
                for query in QUERIES:
                    size, cold, typing = measure(driver, site, query)
                    rows.append((size, cold, typing))
                    print(f"{n:>8} {query:<22} {size / 1000:>9.1f} {cold:>8.1f} {typing:>9.1f}")
                summary.append((n, max(r[0] for r in rows), statistics.median(r[0] for r in rows),
                                statistics.median(r[2] for r in rows), max(r[2] for r in rows)))
    finally:
        driver.quit()
    print()
    print(f"{'chapters':>8} {'max KB':>7} {'median KB':>9} {'typing median ms':>16} {'typing max ms':>13}")
    for n, most, median, typing, worst in summary:
        print(f"{n:>8} {most / 1000:>7.1f} {median / 1000:>9.1f} {typing:>16.1f} {worst:>13.1f}")


if __name__ == "__main__":
    main()
