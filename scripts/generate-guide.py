#!/usr/bin/env python3
"""Writes a synthetic guide of N chapters, for benchmarks: python3 scripts/generate-guide.py N DIR

Chapters are made of sentences drawn from the shipped guide in Content/ (so words and
their frequencies are realistic), plus a few made-up rare words per chapter (so the
vocabulary grows with the guide, as a real one does). Each chapter has headings, an FAQ
block, a table, a callout and cross-links of every form, so the build does the work a
real guide makes it do. The same N gives the same files.
"""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONTENT = os.path.join(HERE, "..", "Content")


def shipped_sentences():
    sentences = []
    for name in sorted(os.listdir(CONTENT)):
        if not name.endswith(".md"):
            continue
        text = open(os.path.join(CONTENT, name), encoding="utf-8").read().split("---", 2)[-1]
        for line in text.splitlines():
            line = line.strip()
            if not line or line[0] in "#>|-![" or "](" in line:
                continue
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 5]
    return sentences


def main():
    count, folder = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    sentences = shipped_sentences()
    syllables = ["ka", "lo", "mi", "ten", "ra", "vo", "sul", "bex", "tri", "nor", "qua", "zen", "dal", "pim"]
    tracks = ["A", "B", "C", "D"]
    os.makedirs(os.path.join(folder, "assets"), exist_ok=True)
    with open(os.path.join(folder, "assets", "figure.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n')
    with open(os.path.join(folder, "guide.yml"), "w") as f:
        f.write("title: Benchmark guide\nlanguage: en\nbase_url: https://example.org/bench/\ntracks:\n")
        for t in tracks:
            f.write(f"  - id: {t}\n    title: Track {t}\n")
        f.write("reading_level:\n  target_grade: 8\nreview:\n  interval_months: 12\n")
    # The shipped glossary, so glossary marks and synonyms cost what they cost for real.
    with open(os.path.join(CONTENT, "glossary.yml"), encoding="utf-8") as src, open(os.path.join(folder, "glossary.yml"), "w") as dst:
        dst.write(src.read())
    ids = [f"{tracks[i % len(tracks)]}{i // len(tracks)}" for i in range(count)]
    files = {cid: f"{cid}-chapter-{n}.md" for n, cid in enumerate(ids)}

    def paragraph(n=4):
        return " ".join(rng.choice(sentences) for _ in range(n))

    def rare():
        return "".join(rng.choice(syllables) for _ in range(3))

    for n, cid in enumerate(ids):
        other, third = ids[(n + 1) % count], ids[(n + 7) % count]
        body = [
            "---", f"id: {cid}", "title: " + json.dumps(f"Chapter {cid}: {rng.choice(sentences)[:40].rstrip()}"),
            "summary: " + json.dumps(rng.choice(sentences)), "reviewed: 2026-06-01", f"related: [{other}, {third}]", "---", "",
            f"# Chapter {cid}", "", paragraph() + f" A rare word: {rare()}.", "",
            f"See [the next chapter]({other}), [section one](#section-one), []({third}) and [by file]({files[other]}#section-two).", "",
            "## Section one", "", paragraph(), "", paragraph(3) + f" Also {rare()}.", "",
            f"![A figure of {cid}](assets/figure.svg)", "",
            "## Section two", "", paragraph(), "",
            "| Step | What happens |", "| --- | --- |", f"| One | {rng.choice(sentences)} |", f"| Two | {rng.choice(sentences)} |", "",
            "> [!NOTE]", f"> {rng.choice(sentences)}", "",
            "## Section three", "", paragraph(), "", "- " + rng.choice(sentences), "- " + rng.choice(sentences), "",
            "## Frequently asked questions", "",
        ]
        for q in range(4):
            body += [f"### Question {q} about {rare()}?", "", paragraph(2), ""]
        body += ["## References", "", "- A real source, named here.", ""]
        with open(os.path.join(folder, files[cid]), "w") as f:
            f.write("\n".join(body))


if __name__ == "__main__":
    main()
