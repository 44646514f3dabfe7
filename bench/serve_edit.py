#!/usr/bin/env python3
"""Edit-to-page time of `planport serve` (issue 14).

For each size: generate the synthetic corpus (shared/bench/gen_corpus.py, portal format),
start `planport serve --port 0` on it (127.0.0.1), then several times: change a plan's title
(written beside the file and renamed over it, as editors save), and poll the plan's page until
it shows the new title. Edit-to-page is the time from the rename to the first response that
shows it. Before the next edit the script waits until the server says it has caught up (the
rest of the site that the edit changed: lists, feeds, data files, search index), and reports
that time too. The server is stopped at the end, whatever happens.

    bench/serve_edit.py                     # 2,000 and 10,000 documents, 7 edits each
    SIZES="2000" EDITS=5 bench/serve_edit.py

Environment: SIZES, EDITS, PLANPORT_BIN (default target/release/planport, built if missing),
GEN (path of gen_corpus.py). Corpora go under bench/work/serve/ (git-ignored) and are kept.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work" / "serve"
SIZES = [int(s) for s in os.environ.get("SIZES", "2000 10000").split()]
EDITS = int(os.environ.get("EDITS", "7"))
POLL = 0.005  # seconds between requests while waiting for the page
PAGE_DEADLINE = 120.0  # seconds an edit may take to show before the run fails
CATCH_UP_DEADLINE = 600.0


def find_gen():
    if os.environ.get("GEN"):
        return Path(os.environ["GEN"])
    for g in (REPO.parent / "shared/bench/gen_corpus.py", Path("/work/shared/bench/gen_corpus.py")):
        if g.is_file():
            return g
    sys.exit("gen_corpus.py not found; set GEN")


def planport_bin():
    b = Path(os.environ.get("PLANPORT_BIN", REPO / "target/release/planport"))
    if not b.is_file():
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    return b


def load():
    return Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"] * 3


def corpus(n, gen):
    site = WORK / f"corpus-{n}"
    stamp = site / ".generated"
    if not stamp.is_file():
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, str(gen), "--format", "portal", "-n", str(n), str(site)], check=True, stdout=subprocess.DEVNULL)
        stamp.write_text(str(n))
    # An output left by an earlier run stays: serve replaces it whole at start, as for an editor.
    return site


def a_plan(site):
    """A plan's file and URL (`/plans/<slug>/`, slug from front matter or the file name)."""
    plans = sorted((site / "content/plans").rglob("*.md"))
    path = plans[len(plans) // 2]
    m = re.search(r"^slug:\s*\"?([^\"\n]+)", path.read_text(encoding="utf-8"), re.M)
    return path, f"/plans/{m.group(1) if m else path.stem}/"


class Server:
    """`planport serve --port 0` in `site`; its stderr lines are collected as they come."""

    def __init__(self, binary, site):
        self.proc = subprocess.Popen([str(binary), "serve", "--port", "0"], cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        line = self.proc.stdout.readline()
        m = re.search(r"http://([^/\s]+)/", line)
        if not m:
            raise RuntimeError(f"serve did not start: {line!r}")
        self.base = f"http://{m.group(1)}"

    def _read_stderr(self):
        for line in self.proc.stderr:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, pattern, after, deadline):
        """The first stderr line from index `after` on that matches; returns (index, match)."""
        end = time.monotonic() + deadline
        with self.cond:
            i = after
            while True:
                while i < len(self.lines):
                    m = re.search(pattern, self.lines[i])
                    if m:
                        return i, m
                    i += 1
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise RuntimeError(f"no {pattern!r} from serve; last lines: {self.lines[-5:]}")
                self.cond.wait(left)

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as r:
                return r.read().decode("utf-8", "replace")
        except Exception as e:  # an error page (500) or a refused connection: not shown yet
            return str(e)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run(n, binary, gen):
    site = corpus(n, gen)
    plan, url = a_plan(site)
    original = plan.read_text(encoding="utf-8")
    started = time.monotonic()
    server = Server(binary, site)
    startup = time.monotonic() - started
    times, catch_ups, updates = [], [], []
    try:
        if "<html" not in server.get(url):
            raise RuntimeError(f"{url} is not served")
        seen = len(server.lines)
        text = original
        for i in range(EDITS):
            marker = f"（第{i + 1}次修订-{os.getpid()}）"
            text = re.sub(r"^title:.*$", lambda m: m.group(0).rstrip('"') + marker + ('"' if m.group(0).endswith('"') else ""), original, count=1, flags=re.M)
            tmp = plan.with_name(f".{plan.name}.bench")
            tmp.write_text(text, encoding="utf-8")
            t0 = time.monotonic()
            os.replace(tmp, plan)
            while marker not in server.get(url):
                if time.monotonic() - t0 > PAGE_DEADLINE:
                    raise RuntimeError(f"edit {i + 1} never showed on {url}")
                time.sleep(POLL)
            times.append((time.monotonic() - t0) * 1000)
            j, m = server.wait_line(r"已更新 \d+ 个文件（删除 \d+ 个），用时 (\d+) 毫秒（其中读取、检查和索引 (\d+) 毫秒）|已重新生成整个网站", seen, PAGE_DEADLINE)
            if m.group(1):
                updates.append((int(m.group(1)), int(m.group(2))))
            j, m = server.wait_line(r"其余页面已更新，用时 (\d+) 毫秒", j + 1, CATCH_UP_DEADLINE)
            catch_ups.append(int(m.group(1)))
            seen = j + 1
    finally:
        server.stop()
        plan.write_text(original, encoding="utf-8")
    return startup, times, updates, catch_ups


def main():
    gen, binary = find_gen(), planport_bin()
    print(f"machine: {os.cpu_count()} cores; edits per size: {EDITS}")
    rows = []
    for n in SIZES:
        before = load()
        startup, times, updates, catch_ups = run(n, binary, gen)
        after = load()
        rows.append((n, startup, times, updates, catch_ups, before, after))
        print(f"{n} documents: edit-to-page ms {[round(t) for t in times]}; server update (of which indexing) ms {updates}; catch-up ms {catch_ups}", flush=True)
    print()
    print("| documents | edit-to-page median (min–max) | server's update median (of which read, check, index) | catch-up median | first build | load avg before → after |")
    print("|---|---|---|---|---|---|")
    for n, startup, times, updates, catch_ups, before, after in rows:
        print(
            f"| {n:,} | {statistics.median(times):.0f} ms ({min(times):.0f}–{max(times):.0f}) | "
            f"{statistics.median(u for u, _ in updates) if updates else '?'} ms ({statistics.median(i for _, i in updates) if updates else '?'} ms) | "
            f"{statistics.median(catch_ups) / 1000:.1f} s | {startup:.1f} s | "
            f"{' '.join(before)} → {' '.join(after)} |"
        )


if __name__ == "__main__":
    main()
