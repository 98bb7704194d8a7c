#!/usr/bin/env python3
"""Writes a synthetic guide of N chapters, for benchmarks: python3 scripts/generate-guide.py N DIR

Each chapter is about 900 words with headings, an FAQ block, a table, a callout and
cross-links of every form, so the build does the work a real guide makes it do.
"""
import os
import random
import sys

WORDS = ("cell immune therapy infusion fever team doctor nurse blood lymphoma lupus kidney "
         "receptor target marker antibody protein week month treatment hospital family care "
         "question answer risk benefit sign symptom reset memory signal tumor cancer disease").split()


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def paragraph(rng, n=5):
    return " ".join(sentence(rng) for _ in range(n))


def main():
    count, folder = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    tracks = ["A", "B", "C", "D"]
    os.makedirs(os.path.join(folder, "assets"), exist_ok=True)
    with open(os.path.join(folder, "assets", "figure.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n')
    with open(os.path.join(folder, "guide.yml"), "w") as f:
        f.write("title: Benchmark guide\nlanguage: en\nbase_url: https://example.org/bench/\ntracks:\n")
        for t in tracks:
            f.write(f"  - id: {t}\n    title: Track {t}\n")
        f.write("reading_level:\n  target_grade: 8\nreview:\n  interval_months: 12\n")
    with open(os.path.join(folder, "glossary.yml"), "w") as f:
        for i, word in enumerate(WORDS[:30]):
            f.write(f"- term: {word.capitalize()} term {i}\n  definition: A plain meaning of {word}.\n")
    ids = [f"{tracks[i % len(tracks)]}{i // len(tracks)}" for i in range(count)]
    files = {cid: f"{cid}-chapter-{n}.md" for n, cid in enumerate(ids)}
    for n, cid in enumerate(ids):
        other = ids[(n + 1) % count]
        third = ids[(n + 7) % count]
        body = [
            "---", f"id: {cid}", f"title: Chapter {cid} about {rng.choice(WORDS)} and {rng.choice(WORDS)}",
            f"summary: {sentence(rng)}", "reviewed: 2026-06-01", f"related: [{other}, {third}]", "---", "",
            f"# Chapter {cid}", "", paragraph(rng), "",
            f"See [the next chapter]({other}), [](#section-one), []({third}) and [by file]({files[other]}#section-two).", "",
            "## Section one", "", paragraph(rng), "", paragraph(rng), "",
            f"![A figure of {cid}](assets/figure.svg)", "",
            "## Section two", "", paragraph(rng), "",
            "| Step | What happens |", "| --- | --- |", f"| One | {sentence(rng)} |", f"| Two | {sentence(rng)} |", "",
            "> [!NOTE]", f"> {sentence(rng)}", "",
            "## Section three", "", paragraph(rng), "", "- " + sentence(rng), "- " + sentence(rng), "",
            "## Frequently asked questions", "",
        ]
        for q in range(4):
            body += [f"### Question {q} about {rng.choice(WORDS)}?", "", paragraph(rng, 3), ""]
        body += ["## References", "", "- A real source, named here.", ""]
        with open(os.path.join(folder, files[cid]), "w") as f:
            f.write("\n".join(body))


if __name__ == "__main__":
    main()
