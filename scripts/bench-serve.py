#!/usr/bin/env python3
"""The author's loop: from saving a chapter to `guide serve` telling open pages to reload.

Usage: python3 scripts/bench-serve.py [CHAPTERS ...]   (default: 100 1000)

For each size it generates a guide (scripts/generate-guide.py), starts the release binary's
`guide serve` on it, listens to /__guide/events as a page does, then saves one chapter 20
times (a word added, then taken away) and times each save until the server's next `site`
event: the median and the slowest. Then it leaves the server idle for IDLE seconds (default
60) and reports the CPU it used, as a share of one core.
"""
import hashlib
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
GUIDE = ROOT / ".build" / "release" / "guide"
WORK = pathlib.Path(os.environ.get("BENCH_DIR", ROOT / ".build" / "bench"))
IDLE = float(os.environ.get("IDLE", "60"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def events(port):
    """A generator of (event, data) from the server's event stream."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /__guide/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.decode().splitlines() if ": " in line and not line.startswith(":"))
            if "event" in fields:
                yield fields["event"], fields.get("data", "")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    print(f"{'chapters':>8} {'save→reload median':>19} {'slowest':>8} {'idle CPU':>9}")
    for n in sizes:
        content = WORK / f"serve{n}" / "Content"
        # A guide made by another version of the generator is made again.
        generator = ROOT / "scripts" / "generate-guide.py"
        stamp, wanted = content.parent / "generator.sha256", hashlib.sha256(generator.read_bytes()).hexdigest()
        if content.parent.exists() and (not stamp.exists() or stamp.read_text() != wanted):
            shutil.rmtree(content.parent)
        if not content.exists():
            subprocess.run([sys.executable, str(generator), str(n), str(content)], check=True, stdout=subprocess.DEVNULL)
            stamp.write_text(wanted)
        port = free_port()
        server = subprocess.Popen([str(GUIDE), "serve", "--port", str(port), "--content", str(content), "--templates",
                                   str(ROOT / "Templates"), "--output", str(content.parent / "Site")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 120
            while True:
                try:
                    stream = events(port)
                    event, version = next(stream)
                    break
                except (OSError, StopIteration):
                    if time.time() > deadline:
                        sys.exit("guide serve did not start")
                    time.sleep(0.2)
            # Wait for the first build's site.
            while version == "0":
                event, version = next(stream)
            chapter = sorted(content.glob("*.md"))[len(list(content.glob("*.md"))) // 2]
            original = chapter.read_text()
            times = []
            for i in range(20):
                text = original + ("\nOne more sentence for the benchmark.\n" if i % 2 == 0 else "")
                start = time.perf_counter()
                chapter.write_text(text)
                while True:
                    event, data = next(stream)
                    if event == "site" and data != version:
                        version = data
                        break
                times.append(time.perf_counter() - start)
                time.sleep(0.3)
            chapter.write_text(original)
            next(stream)
            time.sleep(1)
            before, started = cpu_seconds(server.pid), time.time()
            time.sleep(IDLE)
            idle = (cpu_seconds(server.pid) - before) / (time.time() - started)
            print(f"{n:>8} {statistics.median(times) * 1000:>16.0f} ms {max(times) * 1000:>5.0f} ms {idle * 100:>8.2f}%", flush=True)
        finally:
            server.kill()


if __name__ == "__main__":
    main()
