#!/usr/bin/env python3
"""guide beside its anchors, on the same generated guides, written to the real disk.

Usage: python3 scripts/bench-anchors.py [CHAPTERS ...]   (default: 100 1000 10000)

For each size: `guide build` (check, render, search index), `guide check`, Hugo building
the same chapters with a minimal theme (Debian's hugo), and the floor: cmark-gfm parsing
every chapter body in one process (Debian's cmark-gfm, the parser guide uses). Runs are
paired (guide, Hugo, floor, check, in turn) and the medians shown, with guide's ratios to
Hugo and to the floor. Memory is the peak of the resident size of the process and its
children together (guide's parse workers run beside it), polled every 5 ms in runs of its
own: the polling takes CPU from a tool that keeps both cores busy, so timed runs are not
polled.

Both builders are timed the same two ways, each against the other:
- a rebuild over the site the tool wrote last time (an author's loop): guide links the
  files whose bytes did not change, Hugo writes every file over the old one;
- a cold rebuild: the same, once the system's cache has let the content and the last
  site go (as it does within seconds on some machines, and after a pause on any): both
  are dropped from the cache (posix_fadvise DONTNEED) before each such run of either tool;
- a first build into a folder that does not exist yet (CI on a fresh clone). Each run
  gets a new folder, all removed only once every size is done (and any left by an earlier
  bench, before the first size): on ext4, creating files just after thousands were
  deleted is several times slower (it passes over inodes freed in the last minute, or six
  while their tables wait to be written), which would measure the removal, not the tool;
  removed after each size, the 1,000-chapter sites slowed the 10,000-chapter first builds
  of both tools. So the bench waits a minute, with everything written, after each removal
  (`settle`), and before it starts, in case a step before it removed files (make bench's
  first step does): a 1,000-chapter first build took 0.42 s (0.26 s of it in the kernel)
  just after 11,000 files were removed, 0.33 s (0.09 s) half a minute later.
"""
import hashlib
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
GUIDE = ROOT / ".build" / "release" / "guide"
# The bench writes where a user's site would go: beside the project, on the real disk.
WORK = pathlib.Path(os.environ.get("BENCH_DIR", ROOT / ".build" / "bench"))

HUGO_CONFIG = 'baseURL = "https://example.org/bench/"\ntitle = "Benchmark guide"\ndisableKinds = ["taxonomy", "term"]\n'
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                            '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}'
                            '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
                            '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages }}'
                          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ol>{{ end }}\n',
}


def settle():
    """Waits until files removed before now no longer slow the creating of new ones (see above)."""
    os.sync()
    time.sleep(65)


def times_and_cpu(args, cwd=None):
    """Wall and CPU seconds of one run, with nothing of the bench running beside it."""
    start = time.perf_counter()
    before = os.times()
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}")
    return seconds, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def let_go(*folders):
    """Drops every file under `folders` from the system's cache, as a pause would."""
    os.sync()
    for folder in folders:
        for directory, _, names in os.walk(folder):
            for name in names:
                try:
                    fd = os.open(os.path.join(directory, name), os.O_RDONLY | os.O_NOFOLLOW)
                except OSError:
                    continue
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                os.close(fd)


def peak_mb(args, cwd=None):
    """Peak resident MB of one run, the process's and its children's (parse workers)
    together, polled every 5 ms. A run of its own: the polling takes CPU from a tool that
    keeps both cores busy (it made guide's builds 15% slower, Hugo's not measurably)."""
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    def read(p):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0
    def kids(p):
        # Children of every thread: guide's parse workers are started from a thread other
        # than the main one, and /proc/<pid>/task/<pid>/children lists only the main one's.
        found = []
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            return found
        for task in tasks:
            try:
                with open(f"/proc/{p}/task/{task}/children") as f:
                    found += [int(c) for c in f.read().split()]
            except OSError:
                pass
        return found
    while process.poll() is None:
        peak = max(peak, read(process.pid) + sum(read(k) for k in kids(process.pid)))
        time.sleep(0.005)
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}")
    return peak / 1024


GENERATOR = ROOT / "scripts" / "generate-guide.py"


def generator_stamp():
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()


def drop_if_stale(n):
    """Removes a guide made by another version of the generator (and all made from it), so
    the bench never times last month's chapters; done before `settle`, as every removal is."""
    folder = WORK / f"g{n}"
    stamp = folder / "generator.sha256"
    if folder.exists() and (not stamp.exists() or stamp.read_text() != generator_stamp()):
        shutil.rmtree(folder)


def prepare(n):
    folder = WORK / f"g{n}"
    content = folder / "Content"
    if not content.exists():
        subprocess.run([sys.executable, str(GENERATOR), str(n), str(content)], check=True, stdout=subprocess.DEVNULL)
        (folder / "generator.sha256").write_text(generator_stamp())
    hugo = folder / "hugo"
    if not hugo.exists():
        (hugo / "content").mkdir(parents=True)
        (hugo / "hugo.toml").write_text(HUGO_CONFIG)
        for path, text in HUGO_LAYOUTS.items():
            (hugo / "layouts" / path).parent.mkdir(parents=True, exist_ok=True)
            (hugo / "layouts" / path).write_text(text)
        for chapter in sorted(content.glob("*.md")):
            shutil.copy(chapter, hugo / "content" / chapter.name)
    bodies = folder / "bodies"
    if not bodies.exists():
        bodies.mkdir()
        for chapter in sorted(content.glob("*.md")):
            (bodies / chapter.name).write_text(chapter.read_text().split("---", 2)[2])
    return folder


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000, 10000]
    # First builds' folders, removed together (see above): an earlier bench's now.
    firsts_of = lambda n: WORK / f"g{n}" / "first"
    for n in sizes:
        shutil.rmtree(firsts_of(n), ignore_errors=True)
        drop_if_stale(n)
    settle()
    WORK.mkdir(parents=True, exist_ok=True)
    print("rebuild: over the site the tool wrote last time; cold: the same, the content and last site dropped from the cache first; first: into a new folder. "
          "MB (peak, in runs of its own) and CPU s are of rebuilds; build/hugo compares like with like.")
    print(f"{'chapters':>8} {'MiB md':>6} {'rebuild':>8} {'hugo':>7} {'cold':>7} {'hugo':>7} {'first':>7} {'hugo':>7} {'MB':>6} {'hugo MB':>7} {'CPU s':>6} "
          f"{'floor':>7} {'check':>7} {'rebuild/hugo':>12} {'cold/hugo':>10} {'first/hugo':>10} {'CPU/floor':>9} {'check/floor':>11} {'check CPU/floor':>15} {'MB/hugo':>7}")
    for n in sizes:
        folder = prepare(n)
        runs = 5 if n <= 1000 else 3
        build, hugo, first, hugo_first, floor, check, cold, hugo_cold = [], [], [], [], [], [], [], []
        files = sorted(str(p) for p in (folder / "bodies").glob("*.md"))
        guide_build = [str(GUIDE), "build", "--content", str(folder / "Content"), "--templates", str(ROOT / "Templates"), "--output"]
        hugo_build = ["hugo", "--quiet", "-d"]
        # A rebuild needs a site written before: one untimed build of each.
        times_and_cpu(guide_build + [str(folder / "site")])
        times_and_cpu(hugo_build + ["public"], cwd=folder / "hugo")
        firsts = firsts_of(n)
        firsts.mkdir()
        for run in range(runs):
            build.append(times_and_cpu(guide_build + [str(folder / "site")]))
            hugo.append(times_and_cpu(hugo_build + ["public"], cwd=folder / "hugo"))
            let_go(folder / "Content", folder / "site")
            cold.append(times_and_cpu(guide_build + [str(folder / "site")]))
            let_go(folder / "hugo")
            hugo_cold.append(times_and_cpu(hugo_build + ["public"], cwd=folder / "hugo"))
            first.append(times_and_cpu(guide_build + [str(firsts / f"guide-{run}")]))
            hugo_first.append(times_and_cpu(hugo_build + [str(firsts / f"hugo-{run}")], cwd=folder / "hugo"))
            floor.append(times_and_cpu(["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink",
                                        "-e", "tagfilter", "-e", "tasklist", *files]))
            check.append(times_and_cpu([str(GUIDE), "check", "--content", str(folder / "Content")]))
        # Memory from runs of its own (rebuilds, in turn), the higher of two.
        memory, hugo_memory = [], []
        for _ in range(2):
            memory.append(peak_mb(guide_build + [str(folder / "site")]))
            hugo_memory.append(peak_mb(hugo_build + ["public"], cwd=folder / "hugo"))
        med = lambda rows, i: statistics.median(r[i] for r in rows)
        b, bc = med(build, 0), med(build, 1)
        h = med(hugo, 0)
        bm, hm = max(memory), max(hugo_memory)
        g1, h1 = med(first, 0), med(hugo_first, 0)
        f, c = med(floor, 0), med(check, 0)
        # What `guide check` alone uses (parsing and the contract's checks, no page, no index,
        # no file written): the least CPU any build that checks can use.
        cc = med(check, 1)
        gc, hc = med(cold, 0), med(hugo_cold, 0)
        markdown = sum(p.stat().st_size for p in (folder / "Content").glob("*.md")) / 2**20
        print(f"{n:>8} {markdown:>6.1f} {b:>7.2f}s {h:>6.2f}s {gc:>6.2f}s {hc:>6.2f}s {g1:>6.2f}s {h1:>6.2f}s {bm:>6.0f} {hm:>7.0f} {bc:>6.2f} {f:>6.2f}s {c:>6.2f}s "
              f"{b / h:>11.2f}x {gc / hc:>9.2f}x {g1 / h1:>9.2f}x {bc / f:>8.1f}x {c / f:>10.1f}x {cc / f:>14.1f}x {bm / hm:>6.2f}x", flush=True)
    for n in sizes:
        shutil.rmtree(firsts_of(n), ignore_errors=True)
    # What runs next (make bench's serve bench) creates files too.
    settle()

if __name__ == "__main__":
    main()
