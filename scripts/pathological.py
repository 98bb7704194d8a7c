#!/usr/bin/env python3
"""Writes guides whose one chapter has a shape that slows or crashes a Markdown pipeline.

Usage: scripts/pathological.py OUT [SHAPE ...]
Each shape becomes OUT/<shape>/Content with guide.yml, A0 (the shape) and A1 (a chapter
with a broken link, which must still be reported). Without SHAPE, every shape is written.
"""
import pathlib
import sys

FRONT = "---\nid: A0\ntitle: Shape\nreviewed: 2026-10-01\n---\n\n# Shape\n\n"
PROSE = ("CAR-T cells are made from your own blood. They find and attack cells with a marker, "
         "and your team watches you closely for side effects. ")

SHAPES = {
    # Our own passes (linear now; quadratic before).
    "links-one-line": lambda: "[a](A1) " * 20000 + "\n",
    "autolinks-one-line": lambda: "www.example.com/x " * 30000 + "\n",
    "same-headings": lambda: "## Same\n\ntext\n\n" * 30000,
    "big-chapter": lambda: ("## Part\n\n" + PROSE * 20 + "\n\n") * 8000,
    # cmark-gfm 0.29.0.gfm.6: the 2023 polynomial-time CVE shapes.
    "image-brackets": lambda: "![[]()" * 50000 + "\n",
    "open-brackets": lambda: "[" * 100000 + "\n",
    "emphasis-runs": lambda: "*a **a " * 50000 + "\n",
    "comments": lambda: "<!--" * 100000 + "\n",
    "table-pipes": lambda: "| a | b |\n| --- | --- |\n" + "|" * 100000 + "\n",
    "table-colons": lambda: "| a |\n|" + ":" * 100000 + "\n",
    "nested-quotes": lambda: "> " * 20000 + ".\n" + "\n".join("> " * i + "." for i in range(1000, 0, -1)) + "\n",
    "spread-list": lambda: "- a\n\n" * 50000,
}


def write(out: pathlib.Path, shape: str) -> None:
    content = out / shape / "Content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "guide.yml").write_text("title: Shapes\n")
    (content / "A0-shape.md").write_text(FRONT + SHAPES[shape]())
    (content / "A1-other.md").write_text("---\nid: A1\ntitle: Other\nreviewed: 2026-10-01\n---\n\n# Other\n\n"
                                         "Back to [the start](A0) and [nowhere](B9).\n")


if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1])
    for shape in sys.argv[2:] or SHAPES:
        write(out, shape)
