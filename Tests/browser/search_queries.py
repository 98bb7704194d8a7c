"""The query set for the search tests: what readers type, and the page that should answer it.

Each entry is (query, kind, pages): the test passes a query when one of `pages` is among its
first three results. Kinds: title words, body-only words, FAQ questions, abbreviations,
synonyms found only in the glossary, plurals and inflections, typos, prefixes and multi-word.
"""

SHIPPED = [
    # Words of chapter titles
    ("side effects", "title", ["a2.html"]),
    ("solid tumors", "title", ["a3.html", "b3.html"]),
    ("long-term follow-up", "title", ["b2.html"]),
    ("inside a CAR", "title", ["b1.html"]),
    ("immune reset", "title", ["a4.html"]),
    ("design toolkit", "title", ["b3.html"]),
    ("disease by disease", "title", ["b4.html"]),
    # Words found only in chapter text
    ("apheresis", "body", ["a1.html"]),
    ("thermometer", "body", ["a1.html", "a2.html"]),
    ("handwriting", "body", ["a2.html"]),
    ("neuroblastoma", "body", ["a3.html"]),
    ("rituximab", "body", ["a4.html", "b4.html"]),
    ("lipid nanoparticles", "body", ["b5.html"]),
    ("scleroderma", "body", ["b4.html"]),
    # FAQ questions, as a reader would ask them
    ("will I lose my hair", "faq", ["a1.html"]),
    ("does the infusion hurt", "faq", ["a1.html"]),
    ("can ICANS cause lasting brain damage", "faq", ["a2.html"]),
    ("does a CAR change my DNA", "faq", ["b1.html"]),
    ("can I have vaccines after CAR-T", "faq", ["b2.html", "a4.html"]),
    ("should I worry about a new cancer", "faq", ["b2.html"]),
    # Abbreviations
    ("CRS", "abbreviation", ["a2.html"]),
    ("ICANS", "abbreviation", ["a2.html"]),
    ("BCMA", "abbreviation", ["b4.html"]),
    ("GVHD", "abbreviation", ["b5.html"]),
    ("scFv", "abbreviation", ["b1.html"]),
    # Synonyms that appear only in the glossary, not in any chapter
    ("black box warning", "synonym", ["a2.html", "b2.html"]),
    ("leukapheresis", "synonym", ["a1.html"]),
    ("kill switch", "synonym", ["b3.html"]),
    ("CD137", "synonym", ["b1.html", "b3.html"]),
    ("cytokine storm", "synonym", ["a2.html"]),
    # Plurals and other inflections
    ("infections", "inflection", ["a2.html"]),
    ("seizures", "inflection", ["a2.html"]),
    ("rejections", "inflection", ["b5.html"]),
    ("driving", "inflection", ["a1.html"]),
    # Typos
    ("lupis", "typo", ["b4.html", "a4.html"]),
    ("apheresys", "typo", ["a1.html"]),
    ("nefritis", "typo", ["b4.html"]),
    ("myastenia", "typo", ["b4.html"]),
    ("infushion", "typo", ["a1.html", "a2.html"]),
    # Prefixes, as the reader types
    ("infec", "prefix", ["a2.html"]),
    ("armor", "prefix", ["b3.html"]),
    # Several words
    ("can I drive", "multi-word", ["a1.html"]),
    ("when to call my care team", "multi-word", ["a2.html"]),
    ("how is CAR-T made", "multi-word", ["a1.html"]),
    ("CAR-T for lupus", "multi-word", ["a4.html", "b4.html"]),
    ("off the shelf donor cells", "multi-word", ["b5.html"]),
    ("fever after infusion", "multi-word", ["a2.html"]),
    ("myasthenia gravis", "multi-word", ["b4.html"]),
    ("regulatory T cells", "multi-word", ["b5.html"]),
]

# The fixture guide: the same kinds on a guide whose text the tests control.
FIXTURE = [
    ("deeper", "title", ["b1.html"]),
    ("tenth", "title", ["a10.html"]),
    ("confusion", "body", ["a0.html"]),
    ("can I drive", "faq", ["a0.html"]),
    ("CRS", "abbreviation", ["a0.html"]),
    ("cytokine storm", "synonym", ["a0.html"]),
    ("apheresis", "body", ["b1.html"]),
    ("armored", "prefix", ["b1.html"]),
    ("questions", "inflection", ["a0.html"]),
    ("apheresys", "typo", ["b1.html"]),
]
