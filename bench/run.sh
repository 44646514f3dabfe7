#!/usr/bin/env bash
# Benchmark planport against Hugo (and Zola, when Debian ships it) on the deterministic
# synthetic corpus of shared/bench/gen_corpus.py, plus planport on the real content/.
#
#   bench/run.sh                         # 1k, 5k and 10k documents, 2 warm-ups + 5 runs (~30-40 min)
#   SIZES="1000 5000" bench/run.sh       # quicker (~10 min)
#
# Knobs (environment):
#   SIZES        corpus sizes in documents                 (default "1000 5000 10000")
#   WARMUP       hyperfine warm-up runs                    (default 2)
#   RUNS         hyperfine measured runs, at least 5       (default 5)
#   TOOLS        subset of "planport hugo zola"            (default: all that are available)
#   SEED         corpus seed                               (default: gen_corpus.py's own)
#   TIMEOUT      seconds allowed for one build; a tool that exceeds it is not timed further
#                                                          (default 600)
#   REBUILD=0    skip the rows that rebuild over an existing output  (default 1)
#   PLANPORT_BIN use this binary instead of `cargo build --release`
#   GEN          path of gen_corpus.py                     (default ../shared/bench/gen_corpus.py)
#   NO_INSTALL=1 never apt-get install anything
#
# Everything generated goes under bench/work/ (git-ignored). Re-runnable: corpora are kept and
# regenerated only when gen_corpus.py, the size or the seed change; outputs are rebuilt.
# Results: bench/work/results.md (also printed), raw hyperfine JSON in bench/work/results/.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$BENCH_DIR/work"
SIZES="${SIZES:-1000 5000 10000}"
WARMUP="${WARMUP:-2}"
RUNS="${RUNS:-5}"
TIMEOUT="${TIMEOUT:-600}"
REBUILD="${REBUILD:-1}"
SEED="${SEED:-}"
GEN="${GEN:-}"
if [[ -z "$GEN" ]]; then
    for g in "$REPO/../shared/bench/gen_corpus.py" "/work/shared/bench/gen_corpus.py"; do
        [[ -f "$g" ]] && { GEN="$(cd "$(dirname "$g")" && pwd)/gen_corpus.py"; break; }
    done
fi
[[ -n "$GEN" && -f "$GEN" ]] || { echo "gen_corpus.py not found; set GEN=path" >&2; exit 2; }
(( RUNS >= 5 )) || { echo "RUNS must be at least 5" >&2; exit 2; }

mkdir -p "$WORK/bin" "$WORK/corpus" "$WORK/results" "$WORK/logs"
RESULTS_TSV="$WORK/results/results.tsv"
: > "$RESULTS_TSV"
log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
apt_install() {
    [[ "${NO_INSTALL:-}" == 1 ]] && return 1
    [[ "$(id -u)" == 0 ]] || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$WORK/logs/apt.log" 2>&1 || {
        apt-get update -qq >>"$WORK/logs/apt.log" 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$WORK/logs/apt.log" 2>&1
    }
}
# Debian has a candidate for this package?
apt_has() {
    local c
    c="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
    [[ -n "$c" && "$c" != "(none)" ]]
}

command -v hyperfine >/dev/null || apt_install hyperfine || { echo "hyperfine missing (apt-get install hyperfine)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || apt_install time || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }

want() { [[ -z "${TOOLS:-}" || " $TOOLS " == *" $1 "* ]]; }
NOTES=()
HAVE_HUGO=0 HAVE_ZOLA=0
if want hugo; then
    if command -v hugo >/dev/null || apt_install hugo; then HAVE_HUGO=1; else NOTES+=("Hugo: not installed and not installable; skipped."); fi
fi
if want zola; then
    if command -v zola >/dev/null; then
        HAVE_ZOLA=1
    elif apt_has zola && apt_install zola; then
        HAVE_ZOLA=1
    else
        NOTES+=("Zola: not packaged in this machine's Debian release (\`apt-cache policy zola\` has no candidate); skipped (not built from source, no binary downloads).")
    fi
fi

# planport: build once, then freeze a copy so that a rebuild by someone else mid-run does not
# change what is measured.
if [[ -n "${PLANPORT_BIN:-}" ]]; then
    cp "$PLANPORT_BIN" "$WORK/bin/planport"
    PP_REV="(given binary $PLANPORT_BIN)"
else
    log "cargo build --release"
    (cd "$REPO" && cargo build --release --quiet --bin planport) 2>"$WORK/logs/cargo.log" || {
        cat "$WORK/logs/cargo.log" >&2; echo "planport does not build" >&2; exit 1; }
    cp "$REPO/target/release/planport" "$WORK/bin/planport"
    PP_REV="$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
    if [[ -n "$(cd "$REPO" && git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
        PP_REV="$PP_REV (+ uncommitted changes in src/)"
    fi
fi
PLANPORT="$WORK/bin/planport"

# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------
GEN_SUM="$(sha256sum "$GEN" | cut -c1-16)"
corpus() { # corpus FORMAT N -> prints the site dir, generating it when stale
    local fmt="$1" n="$2" dir="$WORK/corpus/$1-$2" stamp="gen=$GEN_SUM n=$2 seed=${SEED:-default}"
    if [[ ! -f "$dir/.stamp" || "$(cat "$dir/.stamp")" != "$stamp" ]]; then
        log "generating $fmt corpus of $n documents"
        rm -rf "$dir"
        python3 "$GEN" --format "$fmt" -n "$n" ${SEED:+--seed "$SEED"} "$dir" 2>>"$WORK/logs/gen.log"
        echo "$stamp" > "$dir/.stamp"
    fi
    echo "$dir"
}

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------
# measure LABEL DOCS TOOL OUTDIR CMD [MODE]
#   MODE fresh (default): every run starts from an empty output directory (hyperfine --prepare
#   rm -rf). MODE rebuild: the output of a previous build is there and gets replaced, as when
#   an editor rebuilds the site (planport then also deletes the old tree; Hugo overwrites).
#   One checked run under /usr/bin/time -v (exit status, max RSS, output files and bytes),
#   then hyperfine.
measure() {
    local label="$1" docs="$2" tool="$3" out="$4" cmd="$5" mode="${6:-fresh}"
    local name="$tool" slug="${label}-${tool}"
    if [[ "$mode" == rebuild ]]; then name="$tool (rebuild)"; slug="$slug-rebuild"; fi
    local tv="$WORK/logs/$slug.time" olog="$WORK/logs/$slug.out"
    log "$label: $name"
    if [[ "$mode" == fresh ]]; then
        rm -rf "$out"
    elif [[ ! -d "$out" ]]; then
        timeout "$TIMEOUT" bash -c "$cmd" >/dev/null 2>&1 || true
    fi
    local rc=0
    timeout "$TIMEOUT" /usr/bin/time -v -o "$tv" bash -c "$cmd" >"$olog" 2>&1 || rc=$?
    if (( rc != 0 )); then
        local why="exit $rc"
        (( rc == 124 )) && why="timeout after ${TIMEOUT}s"
        grep -q 'panicked' "$olog" && why="$why, panic"
        echo "   FAILED ($why); see $olog" >&2
        tail -n 5 "$olog" >&2 || true
        printf '%s\t%s\t%s\tFAILED (%s)\t\t\t\t\t\t\n' "$label" "$docs" "$name" "$why" >>"$RESULTS_TSV"
        return 0
    fi
    local rss files bytes single
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")"
    single="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tv")"
    files="$(find "$out" -type f | wc -l)"
    bytes="$(du -sb "$out" | cut -f1)"
    echo "   single run: ${single} wall, max RSS $((rss / 1024)) MiB, $files files, $((bytes / 1048576)) MiB" >&2
    local load_before load_after prepare=()
    [[ "$mode" == fresh ]] && prepare=(--prepare "rm -rf '$out'")
    load_before="$(cut -d' ' -f1 /proc/loadavg)"
    hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" "${prepare[@]}" \
        --export-json "$WORK/results/$slug.json" \
        --command-name "$name" "$cmd" >"$WORK/logs/$slug.hyperfine" 2>&1 || {
        echo "   hyperfine failed; see $WORK/logs/$slug.hyperfine" >&2
        printf '%s\t%s\t%s\tFAILED (hyperfine)\t\t\t\t\t\t\n' "$label" "$docs" "$name" >>"$RESULTS_TSV"
        return 0
    }
    load_after="$(cut -d' ' -f1 /proc/loadavg)"
    printf '%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$docs" "$name" \
        "$WORK/results/$slug.json" "$rss" "$files" "$bytes" "$load_before/$load_after" \
        "$(grep -o '已生成 .* 毫秒' "$olog" | head -n1 || true)" >>"$RESULTS_TSV"
}

CPU="$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ {print $2; exit}')"
MEM="$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
LOAD0="$(cut -d' ' -f1-3 /proc/loadavg)"
log "machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $MEM RAM, load $LOAD0"

for n in $SIZES; do
    label="n$n"
    for mode in fresh $( [[ "$REBUILD" == 1 ]] && echo rebuild ); do
        if want planport; then
            d="$(corpus portal "$n")"
            measure "$label" "$n" planport "$d/output" "'$PLANPORT' build --content '$d/content' --output '$d/output'" "$mode"
        fi
        if (( HAVE_HUGO )); then
            d="$(corpus hugo "$n")"
            measure "$label" "$n" hugo "$d/public" "hugo --quiet --source '$d' --destination '$d/public'" "$mode"
        fi
        if (( HAVE_ZOLA )); then
            d="$(corpus zola "$n")"
            measure "$label" "$n" zola "$d/public" "zola --root '$d' build --output-dir '$d/public' --force" "$mode"
        fi
    done
done

# planport on the real content, for reference (content/ is only read).
if want planport; then
    real_docs="$(find "$REPO/content/plans" "$REPO/content/reports" -name '*.md' 2>/dev/null | wc -l)"
    measure real "$real_docs" planport "$WORK/real/output" \
        "'$PLANPORT' build --content '$REPO/content' --output '$WORK/real/output'"
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
export RESULTS_TSV WORK WARMUP RUNS PP_REV LOAD0 CPU MEM
export NOTES_TEXT="$(printf '%s\n' "${NOTES[@]+"${NOTES[@]}"}")"
export HUGO_V="$( (( HAVE_HUGO )) && hugo version 2>/dev/null | cut -d' ' -f2 || echo -)"
export ZOLA_V="$( (( HAVE_ZOLA )) && zola --version 2>/dev/null || echo -)"
export HF_V="$(hyperfine --version)"
export NPROC="$(nproc)"
python3 - <<'PY' | tee "$WORK/results.md"
import json, os
rows = [l.rstrip("\n").split("\t") for l in open(os.environ["RESULTS_TSV"], encoding="utf-8") if l.strip()]
print("## planport benchmark\n")
print(f"Machine: {os.environ['NPROC']} CPUs ({os.environ['CPU'] or 'unknown CPU'}), {os.environ['MEM']} RAM; "
      f"load average at start {os.environ['LOAD0']}.  ")
print(f"planport {os.environ['PP_REV']}, Hugo {os.environ['HUGO_V']}, Zola {os.environ['ZOLA_V']}, {os.environ['HF_V']}; "
      f"{os.environ['WARMUP']} warm-up + {os.environ['RUNS']} timed runs each. "
      "Plain rows build into an empty output directory; *(rebuild)* rows replace the previous build's output. "
      "Peak RSS, files and size come from one separate checked run.\n")
print("| corpus | docs | tool | wall time (s), mean ± σ | min–max (s) | user+sys CPU (s) | docs/s | peak RSS (MiB) | output files | output size (MiB) | load avg before/after |")
print("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|---|")
for r in rows:
    r += [""] * (10 - len(r))
    label, docs, tool, status, js, rss, files, size, load, built = r[:10]
    if status != "ok":
        print(f"| {label} | {docs} | {tool} | **{status}** | | | | | | | |")
        continue
    res = json.load(open(js))["results"][0]
    mean, sd = res["mean"], res.get("stddev") or 0.0
    cpu = res["user"] + res["system"]
    print(f"| {label} | {docs} | {tool} | {mean:.3f} ± {sd:.3f} | {res['min']:.3f}–{res['max']:.3f} | {cpu:.2f} | "
          f"{int(docs) / mean:,.0f} | {int(rss) / 1024:,.0f} | {int(files):,} | {int(size) / 1048576:,.1f} | {load} |")
notes = [n for n in os.environ.get("NOTES_TEXT", "").splitlines() if n.strip()]
loads = [float(x) for r in rows if len(r) > 8 and r[8] for x in r[8].split("/")]
if loads and max(loads) > 1.0:
    notes.append(f"The machine was busy with other work (load average up to {max(loads):.1f} on {os.environ['NPROC']} CPUs): "
                 "wall times are inflated and noisy; the user+sys CPU column is the steadier comparison.")
built = [(r[0], r[2], r[9]) for r in rows if len(r) > 9 and r[9]]
if built or notes:
    print()
for label, tool, b in built:
    print(f"- {label} {tool}: planport's own summary: `{b}`")
for n in notes:
    print(f"- {n}")
print("\nWhat each tool renders differs: see bench/README.md. Raw hyperfine JSON: bench/work/results/.")
PY
