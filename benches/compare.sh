#!/usr/bin/env bash
# End-to-end performance comparison: `apitriage triage` against DuckDB (computing only
# per-minute x endpoint status counts and p50/p95/p99), `wc -l` and `rg -c` over the
# same bytes, on simulated bundles of about 1 and 10 million requests.
#
#   benches/compare.sh            1M and 10M bundles (~0.3 GB and ~2.9 GB)
#   benches/compare.sh --quick    the 1M bundle only, for fast iteration
#
# Environment:
#   BENCH_DIR   scratch directory for the bundles (default /tmp/apitriage-bench);
#               bundles are reused when their generation parameters match
#   RUNS        timed runs per command (default 5); the table gives the median wall
#               time and the peak RSS over the runs (GNU time: %e %M)
#   REGEN=1     regenerate the bundles even if present
#   RG_PATTERN  pattern for `rg -c` (default '': count every line)
#
# Needs: cargo, GNU time at /usr/bin/time, python3 with the duckdb package (PyPI),
# wc, rg. Writes the result table into BENCHMARKS.md between the compare markers.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h | --help)
      sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "compare.sh: unknown argument $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

BENCH_DIR="${BENCH_DIR:-/tmp/apitriage-bench}"
RUNS="${RUNS:-5}"
RG_PATTERN="${RG_PATTERN:-}"
# One scenario and seed whose bundles use the nginx access-log format at both scales
# (the format is drawn from the seed and the volume). --trace-sample 0.01 keeps 1% of
# the traces (and their logs) while the access log stays complete: ~2.9 GB for 10M
# requests instead of ~40 GB.
SCENARIO="traffic-surge-pool-exhaustion"
SEED=1
SAMPLE=0.01
declare -A SCALE=([1m]=25 [10m]=253)
if [ "$quick" = 1 ]; then sizes=(1m); else sizes=(1m 10m); fi

need() { command -v "$1" >/dev/null 2>&1 || { echo "compare.sh: $1 not found ($2)" >&2; exit 2; }; }
need cargo "install a Rust toolchain"
need python3 "install Python 3"
need wc "coreutils"
need rg "install ripgrep"
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
python3 -c 'import duckdb' 2>/dev/null || { echo "compare.sh: python3 cannot import duckdb (pip install duckdb)" >&2; exit 2; }

log() { printf '[compare] %s\n' "$*" >&2; }

log "building apitriage (release)"
cargo build --release -p apitriage >&2
bin="${CARGO_TARGET_DIR:-$root/target}/release/apitriage"
[ -x "$bin" ] || { echo "compare.sh: $bin not built" >&2; exit 1; }

mkdir -p "$BENCH_DIR"
results="$BENCH_DIR/results.tsv"
: >"$results"
sim_tree="$(git rev-parse HEAD:crates/sim 2>/dev/null || echo unknown)"

# Generates (or reuses) one bundle; truth.json is moved out of the directory so the
# triage does not read the label.
generate() {
  local size="$1" dir="$BENCH_DIR/$1"
  local params="scenario=$SCENARIO seed=$SEED scale=${SCALE[$size]} trace_sample=$SAMPLE sim=$sim_tree"
  if [ "${REGEN:-0}" != 1 ] && [ -d "$dir" ] && [ "$(cat "$BENCH_DIR/$size.params" 2>/dev/null)" = "$params" ]; then
    log "reusing $dir ($params)"
    return
  fi
  log "generating $dir ($params)"
  rm -rf "$dir" "$BENCH_DIR/$size.params" "$BENCH_DIR/$size.gen"
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%e %M' -o "$BENCH_DIR/$size.gen" \
    "$bin" simulate "$SCENARIO" --seed "$SEED" --scale "${SCALE[$size]}" \
    --trace-sample "$SAMPLE" -o "$dir" -q
  t1=$(date +%s.%N)
  mv "$dir/truth.json" "$BENCH_DIR/$size.truth.json"
  echo "$params" >"$BENCH_DIR/$size.params"
  log "generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
}

files_of() { find "$BENCH_DIR/$1" -type f | LC_ALL=C sort; }

# Runs "$@" once under GNU time, appends "size tool wall_s rss_kib" to the results.
timed() {
  local size="$1" tool="$2"
  shift 2
  local tf="$BENCH_DIR/time.out"
  if ! /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null 2>"$BENCH_DIR/stderr.out"; then
    echo "compare.sh: $tool failed on $size:" >&2
    cat "$BENCH_DIR/stderr.out" >&2
    exit 1
  fi
  echo "$size $tool $(tail -n 1 "$tf")" >>"$results"
}

for size in "${sizes[@]}"; do
  generate "$size"
done

loadavg_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for size in "${sizes[@]}"; do
  dir="$BENCH_DIR/$size"
  mapfile -t files < <(files_of "$size")
  log "$size: warming the page cache ($(du -sh "$dir" | cut -f1))"
  cat "${files[@]}" >/dev/null

  # One untimed run of each command, also checking that each did its job.
  log "$size: check runs"
  "$bin" triage "$dir" --format json -o "$BENCH_DIR/$size.triage.json" -q
  python3 benches/duckdb_baseline.py "$dir" >"$BENCH_DIR/$size.duckdb.txt"
  cat "$BENCH_DIR/$size.duckdb.txt" >&2
  wc -l "${files[@]}" >"$BENCH_DIR/$size.wc.txt"
  rg -c "$RG_PATTERN" "${files[@]}" >/dev/null

  for run in $(seq 1 "$RUNS"); do
    log "$size: run $run of $RUNS"
    # Interleaved, so that load from other processes spreads over every command.
    timed "$size" apitriage "$bin" triage "$dir" --format json -o /dev/null -q
    timed "$size" duckdb python3 benches/duckdb_baseline.py "$dir"
    timed "$size" wc wc -l "${files[@]}"
    timed "$size" rg rg -c "$RG_PATTERN" "${files[@]}"
  done
done

log "writing BENCHMARKS.md"
BENCH_DIR="$BENCH_DIR" RUNS="$RUNS" QUICK="$quick" SCENARIO="$SCENARIO" SEED="$SEED" \
  SAMPLE="$SAMPLE" SCALES="1m=${SCALE[1m]} 10m=${SCALE[10m]}" SIZES="${sizes[*]}" \
  LOADAVG_START="$loadavg_start" LOADAVG_END="$(cut -d' ' -f1-3 /proc/loadavg)" \
  RG_PATTERN="$RG_PATTERN" python3 - <<'PY'
import json
import os
import platform
import re
import statistics
import subprocess
import time

bench = os.environ["BENCH_DIR"]
sizes = os.environ["SIZES"].split()
scales = dict(kv.split("=") for kv in os.environ["SCALES"].split())

rows = {}
for line in open(os.path.join(bench, "results.tsv")):
    size, tool, wall, rss = line.split()
    rows.setdefault((size, tool), []).append((float(wall), int(rss)))


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


cpu = ""
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
cpu = cpu or platform.processor() or "unknown"
mem_gib = int(sh("awk '/MemTotal/ {print $2}' /proc/meminfo") or 0) / 2**20
commit = sh("git rev-parse --short HEAD") + (" (dirty tree)" if sh("git status --porcelain --untracked-files=no") else "")
duck = sh("python3 -c 'import duckdb; print(duckdb.__version__)'")
rg = sh("rg --version").splitlines()[0] if sh("rg --version") else "rg"
wc = sh("wc --version").splitlines()[0] if sh("wc --version") else "wc"

out = []
mode = "`--quick`: 1M bundle only" if os.environ["QUICK"] == "1" else "full run"
out.append(
    f"Generated by `benches/compare.sh` ({mode}) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
    f"`nproc` = {os.cpu_count()}, {cpu}, {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}; "
    f"apitriage at {commit}; DuckDB {duck} (Python, all threads); {rg}; {wc}. "
    f"Load average {os.environ['LOADAVG_START']} at the start, {os.environ['LOADAVG_END']} at the end. "
    f"Median of {os.environ['RUNS']} warm-cache runs, interleaved; peak RSS is the largest of the runs."
)
out.append("")
out.append(
    f"Bundles: `apitriage simulate {os.environ['SCENARIO']} --seed {os.environ['SEED']} "
    f"--scale N --trace-sample {os.environ['SAMPLE']}` (access log complete, 1% of traces "
    f"and of the logs correlated to them kept); `truth.json` moved out."
)
out.append("")
out.append("| bundle | files | size | access-log requests | traces | server spans (DuckDB) | generation |")
out.append("|---|---|---|---|---|---|---|")
for size in sizes:
    d = os.path.join(bench, size)
    files = sorted(os.listdir(d))
    total = sum(os.path.getsize(os.path.join(d, f)) for f in files)
    lines = {}
    for line in open(os.path.join(bench, f"{size}.wc.txt")):
        n, name = line.split(None, 1)
        lines[os.path.basename(name.strip())] = int(n)
    access = lines.get("access.log", lines.get("alb.log", 0))
    traces = lines.get("traces.jsonl", 0)
    duck_txt = open(os.path.join(bench, f"{size}.duckdb.txt")).read()
    m = re.search(r"span: (\d+) records", duck_txt)
    spans = f"{int(m.group(1)):,}" if m else "?"
    gen = "reused"
    gf = os.path.join(bench, f"{size}.gen")
    if os.path.exists(gf):
        g = open(gf).read().split()
        gen = f"{float(g[-2]):.0f} s, {int(g[-1]) / 1024:.0f} MiB"
    out.append(
        f"| {size.upper()} (`--scale {scales[size]}`) | {len(files)} | {total / 1e9:.2f} GB | "
        f"{access:,} | {traces:,} | {spans} | {gen} |"
    )
out.append("")
out.append("| bundle | command | median wall | MB/s | peak RSS | apitriage / this |")
out.append("|---|---|---|---|---|---|")
labels = {
    "apitriage": "`apitriage triage DIR --format json -o /dev/null -q`",
    "duckdb": "DuckDB: `benches/duckdb_baseline.py DIR`",
    "wc": "`wc -l` over the files",
    "rg": f"`rg -c '{os.environ['RG_PATTERN']}'` over the files",
}
medians = {}
for size in sizes:
    d = os.path.join(bench, size)
    total = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    for tool in ("apitriage", "duckdb", "wc", "rg"):
        runs = rows.get((size, tool), [])
        if not runs:
            continue
        med = statistics.median(w for w, _ in runs)
        peak = max(r for _, r in runs) / 1024
        medians[(size, tool)] = (med, peak)
        base = medians.get((size, "apitriage"))
        ratio = "—" if tool == "apitriage" else (f"{base[0] / med:.2f}x" if base and med > 0 else "?")
        mbps = f"{total / 1e6 / med:,.0f}" if med > 0 else "?"
        out.append(f"| {size.upper()} | {labels[tool]} | {med:.2f} s | {mbps} | {peak:,.0f} MiB | {ratio} |")
out.append("")
targets = []
for size in sizes:
    a = medians.get((size, "apitriage"))
    dk = medians.get((size, "duckdb"))
    w = medians.get((size, "wc"))
    if a and dk and w:
        targets.append(
            f"- {size.upper()}: apitriage / DuckDB = **{a[0] / dk[0]:.2f}** (target ≤ 0.5); "
            f"apitriage / `wc -l` = **{a[0] / w[0]:.2f}** (target ≤ 3); "
            f"apitriage peak RSS **{a[1]:,.0f} MiB** (target < 512 MiB)."
        )
if ("1m", "apitriage") in medians and ("10m", "apitriage") in medians:
    r1, r10 = medians[("1m", "apitriage")][1], medians[("10m", "apitriage")][1]
    targets.append(f"- apitriage peak RSS from 1M to 10M requests: {r1:,.0f} → {r10:,.0f} MiB ({r10 / r1:.2f}x; target: flat).")
out.extend(targets)
for size in sizes:
    try:
        rep = json.load(open(os.path.join(bench, f"{size}.triage.json")))
        inp = rep.get("input", {})
        v = rep.get("verdict", {})
        truth = json.load(open(os.path.join(bench, f"{size}.truth.json")))
        out.append(
            f"- {size.upper()} check run: verdict {v.get('bucket')} ({v.get('confidence', 0):.0%}), "
            f"label {truth.get('bucket')}; {inp.get('files')} files, {inp.get('records'):,} records, "
            f"{inp.get('skipped')} skipped."
        )
    except (OSError, ValueError, TypeError, AttributeError) as e:
        out.append(f"- {size.upper()} check run: could not read the triage report ({e}).")
table = "\n".join(out)

path = "BENCHMARKS.md"
begin, end = "<!-- compare:begin -->", "<!-- compare:end -->"
if not os.path.exists(path):
    open(path, "w").write(
        "# Benchmarks\n\n"
        "How fast `apitriage triage` reads a large incident bundle, against tools that do\n"
        "less: DuckDB computing only per-minute per-endpoint status counts and latency\n"
        "percentiles, and `wc -l` / `rg -c` merely scanning the same bytes.\n"
        "Reproduce with `benches/compare.sh` (or `--quick`).\n\n"
        f"{begin}\n{end}\n"
    )
doc = open(path).read()
if begin not in doc or end not in doc:
    doc = doc.rstrip("\n") + f"\n\n{begin}\n{end}\n"
head, rest = doc.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(f"{head}{begin}\n{table}\n{end}{tail}")
print(table)
PY
