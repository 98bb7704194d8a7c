#!/usr/bin/env python3
"""Writes a synthetic guide of N chapters, for benchmarks:
python3 scripts/generate-guide.py N DIR [--language es]

Chapters are made of sentences drawn from the shipped guide in Content/ (so words and
their frequencies are realistic), plus a few made-up rare words per chapter (so the
vocabulary grows with the guide, as a real one does). Each chapter has headings, an FAQ
block, a table, a callout and cross-links of every form, so the build does the work a
real guide makes it do, and is about 1,300 words (7.4 MiB of Markdown per 1,000 chapters):
as long as the shipped guide's chapters (8.8 KB of body on average) and the workload issue
#13's goals are set on (7.6 MiB). The same N gives the same files. With --language es, a guide in
Spanish: sentences and glossary from the shipped Spanish translations (accented words go
through other paths than ASCII ones, in glossary matching and in the search index).
"""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONTENT = os.path.join(HERE, "..", "Content")


def shipped_sentences(folder=CONTENT):
    sentences = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md"):
            continue
        text = open(os.path.join(folder, name), encoding="utf-8").read().split("---", 2)[-1]
        for line in text.splitlines():
            line = line.strip()
            if not line or line[0] in "#>|-![" or "](" in line:
                continue
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 5]
    return sentences


def main():
    count, folder = int(sys.argv[1]), sys.argv[2]
    language = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--language" else "en"
    words = {
        "en": {"chapter": "Chapter", "section": "Section", "one": "one", "two": "two", "three": "three",
               "faq": "Frequently asked questions", "question": "Question {} about {}?", "references": "References",
               "rare": "A rare word", "also": "Also", "see": "See [the next chapter]({}), [section one](#section-one), []({}) and [by file]({}#section-two).",
               "step": "| Step | What happens |", "first": "One", "second": "Two", "figure": "A figure of", "source": "A real source, named here."},
        "es": {"chapter": "Capítulo", "section": "Sección", "one": "uno", "two": "dos", "three": "tres",
               "faq": "Preguntas frecuentes", "question": "¿Pregunta {} sobre {}?", "references": "Referencias",
               "rare": "Una palabra rara", "also": "También", "see": "Vea [el capítulo siguiente]({}), [la sección uno](#sección-uno), []({}) y [por archivo]({}#sección-dos).",
               "step": "| Paso | Qué pasa |", "first": "Uno", "second": "Dos", "figure": "Una figura de", "source": "Una fuente real, nombrada aquí."},
    }[language]
    source = CONTENT if language == "en" else os.path.join(CONTENT, "translations", language)
    rng = random.Random(42)
    sentences = shipped_sentences(source)
    syllables = ["ka", "lo", "mi", "ten", "ra", "vo", "sul", "bex", "tri", "nor", "qua", "zen", "dal", "pim"]
    tracks = ["A", "B", "C", "D"]
    os.makedirs(os.path.join(folder, "assets"), exist_ok=True)
    with open(os.path.join(folder, "assets", "figure.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n')
    with open(os.path.join(folder, "guide.yml"), "w") as f:
        f.write(f"title: Benchmark guide\nlanguage: {language}\nbase_url: https://example.org/bench/\ntracks:\n")
        for t in tracks:
            f.write(f"  - id: {t}\n    title: Track {t}\n")
        f.write("reading_level:\n  target_grade: 8\nreview:\n  interval_months: 12\n")
    # The shipped glossary, so glossary marks and synonyms cost what they cost for real.
    with open(os.path.join(source, "glossary.yml"), encoding="utf-8") as src, open(os.path.join(folder, "glossary.yml"), "w") as dst:
        dst.write(src.read())
    ids = [f"{tracks[i % len(tracks)]}{i // len(tracks)}" for i in range(count)]
    files = {cid: f"{cid}-chapter-{n}.md" for n, cid in enumerate(ids)}

    def paragraph(n=6):
        return " ".join(rng.choice(sentences) for _ in range(n))

    def rare():
        return "".join(rng.choice(syllables) for _ in range(3))

    for n, cid in enumerate(ids):
        other, third = ids[(n + 1) % count], ids[(n + 7) % count]
        w = words
        body = [
            "---", f"id: {cid}", "title: " + json.dumps(f"{w['chapter']} {cid}: {rng.choice(sentences)[:40].rstrip()}"),
            "summary: " + json.dumps(rng.choice(sentences)), "reviewed: 2026-06-01", f"related: [{other}, {third}]", "---", "",
            f"# {w['chapter']} {cid}", "", paragraph() + f" {w['rare']}: {rare()}.", "", paragraph(4), "",
            w["see"].format(other, third, files[other]), "",
            f"## {w['section']} {w['one']}", "", paragraph(), "", paragraph(), "", paragraph(), "", paragraph(3) + f" {w['also']} {rare()}.", "",
            f"![{w['figure']} {cid}](assets/figure.svg)", "",
            f"## {w['section']} {w['two']}", "", paragraph(), "", paragraph(), "", paragraph(), "", paragraph(), "",
            w["step"], "| --- | --- |", f"| {w['first']} | {rng.choice(sentences)} |", f"| {w['second']} | {rng.choice(sentences)} |", "",
            "> [!NOTE]", f"> {rng.choice(sentences)}", "",
            f"## {w['section']} {w['three']}", "", paragraph(), "", paragraph(), "",
            "- " + rng.choice(sentences), "- " + rng.choice(sentences), "- " + rng.choice(sentences), "", paragraph(), "",
            f"### {w['section']} {w['three']}.1", "", paragraph(), "", paragraph(), "",
            f"## {w['faq']}", "",
        ]
        for q in range(4):
            body += [f"### {w['question'].format(q, rare())}", "", paragraph(), ""]
        body += [f"## {w['references']}", "", "- " + w["source"], ""]
        with open(os.path.join(folder, files[cid]), "w") as f:
            f.write("\n".join(body))


if __name__ == "__main__":
    main()
