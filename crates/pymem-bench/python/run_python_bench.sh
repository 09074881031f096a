#!/usr/bin/env bash
# Runs the Python programs of python/programs/ under pymem and three CPythons and prints a
# Markdown table (also written to target/python-bench.md).
#
#   crates/pymem-bench/python/run_python_bench.sh
#
# It builds `cargo build --release -p pymem-cli`, then for ROUNDS rounds runs every program
# under `target/release/pymem run`, CPython 3.11.7, 3.12.1 and 3.13.0 (through pyenv),
# interleaved: within a round, each program runs once under every interpreter before the next
# program starts, and the interpreters' order rotates from round to round, so that noise on
# the machine falls on all of them alike. Every run goes through `/usr/bin/time -f '%e %M'`
# for wall seconds and peak RSS. The programs print one line each:
#
#   RESULT <name> checksum=<value> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
#
# The table gives, per program and interpreter, the medians over the rounds of wall time,
# peak RSS and gc_ms, the collections per generation, and wall time relative to CPython 3.13.
# A run that fails shows as "fails: <first line of stderr>" (for a traceback, its last line,
# which names the exception). Checksums must agree across interpreters: a disagreement is
# shown in the table and makes the script exit 1.
#
# Environment:
#   ROUNDS=3        rounds (the medians are over these)
#   PROGRAMS="..."  program names to run (default: every programs/*.py but _gcmeter.py)
#   TIMEOUT=300     seconds before a run is killed (and shown as failed)
#   NO_BUILD=1      do not run cargo build (use the pymem binary that is there, if any)
#   PYMEM=<path>    the pymem binary to run (default target/release/pymem; implies NO_BUILD=1)
#
# Exit status: 0 when every checksum agrees and every CPython run succeeded (pymem failing to
# build or to run a program is reported in the table, not an error here); 1 on a checksum
# disagreement; 2 when a CPython run failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
programs_dir=$here/programs
rounds=${ROUNDS:-3}
timeout_s=${TIMEOUT:-300}
out_md=$root/target/python-bench.md
work=$(mktemp -d "${TMPDIR:-/tmp}/python-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { echo "$@" >&2; }

# --- the programs -------------------------------------------------------------------------
programs=()
if [ -n "${PROGRAMS:-}" ]; then
    for p in $PROGRAMS; do
        p=${p%.py}
        if [ ! -f "$programs_dir/$p.py" ]; then
            say "no such program: $programs_dir/$p.py"
            exit 2
        fi
        programs+=("$p")
    done
else
    for f in "$programs_dir"/*.py; do
        p=$(basename "$f" .py)
        # `_gcmeter.py` is the measurement module the programs import, not a program.
        [[ "$p" == _* ]] && continue
        programs+=("$p")
    done
fi

# --- the interpreters ---------------------------------------------------------------------
# CPython runs straight from the path that `PYENV_VERSION=<v> pyenv which python3.X` gives: the
# pyenv shim is a shell script that costs ~0.1 s a run, which would be charged to CPython.
labels=(pymem "CPython 3.11" "CPython 3.12" "CPython 3.13")
declare -A cmd_of fail_of
resolve_python() { # version executable
    local path=""
    if command -v pyenv >/dev/null 2>&1; then
        path=$(PYENV_VERSION=$1 pyenv which "$2" 2>/dev/null) || path=""
    fi
    if [ -z "$path" ]; then
        path=$(PYENV_VERSION=$1 command -v "$2" 2>/dev/null) || path=""
    fi
    echo "$path"
}
for spec in "CPython 3.11=3.11.7=python3.11" "CPython 3.12=3.12.1=python3.12" "CPython 3.13=3.13.0=python3.13"; do
    label=${spec%%=*}
    rest=${spec#*=}
    version=${rest%%=*}
    exe=${rest#*=}
    path=$(resolve_python "$version" "$exe")
    if [ -n "$path" ] && [ -x "$path" ]; then
        cmd_of[$label]=$path
    else
        fail_of[$label]="$exe ($version) not found"
    fi
done

# A Python to aggregate the results with (and for the timer fallback below).
agg_python=${cmd_of["CPython 3.13"]:-}
[ -z "$agg_python" ] && agg_python=$(command -v python3 || true)
if [ -z "$agg_python" ]; then
    say "no Python 3 found to aggregate the results with"
    exit 2
fi

# --- the timer ----------------------------------------------------------------------------
# timer <output file> <command...>: writes "<wall s> <peak RSS KB>" as the file's last line.
if [ ! -x /usr/bin/time ]; then
    say "/usr/bin/time is missing: installing Debian's time package ..."
    { apt-get update -qq && apt-get install -y -qq time; } >"$work/apt.log" 2>&1 || true
fi
if [ -x /usr/bin/time ]; then
    timer=(/usr/bin/time -f '%e %M' -o)
    timer_name="/usr/bin/time -f '%e %M'"
else
    say "/usr/bin/time still missing: timing through Python's resource module instead"
    cat >"$work/timer.py" <<'EOF'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
rc = subprocess.call(cmd)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out, "w") as f:
    f.write(f"{wall:.2f} {peak}\n")
sys.exit(rc)
EOF
    timer=("$agg_python" "$work/timer.py")
    timer_name="a Python wrapper (perf_counter, RUSAGE_CHILDREN ru_maxrss)"
fi

# --- pymem --------------------------------------------------------------------------------
pymem_bin=${PYMEM:-$root/target/release/pymem}
if [ "${NO_BUILD:-0}" != 1 ] && [ -z "${PYMEM:-}" ]; then
    say "building: cargo build --release -p pymem-cli ..."
    if (cd "$root" && cargo build --release -p pymem-cli) >"$work/build.log" 2>&1; then
        say "build ok"
    else
        first=$(grep -m1 -E '^error' "$work/build.log" || true)
        [ -z "$first" ] && first=$(tail -n 1 "$work/build.log")
        fail_of[pymem]="build failed: $first"
        say "pymem build failed ($(grep -c -E '^error' "$work/build.log") error lines); first: $first"
    fi
fi
if [ -z "${fail_of[pymem]:-}" ]; then
    if [ -x "$pymem_bin" ]; then
        cmd_of[pymem]="$pymem_bin run"
    else
        fail_of[pymem]="no binary at $pymem_bin"
    fi
fi

# --- the runs -----------------------------------------------------------------------------
results=$work/results.tsv
: >"$results"

# first_error <stderr file> <exit status>: one line saying why a run failed.
first_error() {
    local line
    line=$(grep -m1 -v '^[[:space:]]*$' "$1" || true)
    if [ "$line" = "Traceback (most recent call last):" ]; then
        line=$(grep -v '^[[:space:]]*$' "$1" | tail -n 1)
    fi
    if [ "$2" = 124 ]; then
        line="timed out after ${timeout_s} s${line:+ ($line)}"
    elif [ -z "$line" ]; then
        line="exit status $2, no RESULT line and nothing on stderr"
    fi
    printf '%s' "$line" | tr '\t\r' '  ' | cut -c1-200
}

run_one() { # round program label
    local round=$1 prog=$2 label=$3
    local out=$work/stdout err=$work/stderr tfile=$work/time rc wall rss line checksum gc_ms colls
    if [ -n "${fail_of[$label]:-}" ]; then
        printf '%s\t%s\t%s\tfail\t\t\t\t\t\t%s\n' "$prog" "$label" "$round" "${fail_of[$label]}" >>"$results"
        return
    fi
    rm -f "$out" "$err" "$tfile"
    # shellcheck disable=SC2086 # cmd_of holds "path" or "path run"
    "${timer[@]}" "$tfile" timeout "$timeout_s" ${cmd_of[$label]} "$programs_dir/$prog.py" >"$out" 2>"$err" </dev/null
    rc=$?
    read -r wall rss < <(tail -n 1 "$tfile" 2>/dev/null) || true
    line=$(grep -m1 "^RESULT $prog " "$out" || true)
    if [ "$rc" != 0 ] || [ -z "$line" ]; then
        printf '%s\t%s\t%s\tfail\t%s\t%s\t\t\t\t%s\n' "$prog" "$label" "$round" "${wall:-}" "${rss:-}" \
            "$(first_error "$err" "$rc")" >>"$results"
        say "  round $round $prog $label: FAILS: $(first_error "$err" "$rc")"
        return
    fi
    checksum=$(sed -n 's/.* checksum=\([^ ]*\).*/\1/p' <<<"$line")
    gc_ms=$(sed -n 's/.* gc_ms=\([^ ]*\).*/\1/p' <<<"$line")
    colls=$(sed -n 's/.* collections=\([^ ]*\).*/\1/p' <<<"$line")
    printf '%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t\n' "$prog" "$label" "$round" "$wall" "$rss" \
        "$checksum" "$gc_ms" "$colls" >>"$results"
    say "  round $round $prog $label: ${wall} s ${rss} KB checksum=$checksum gc_ms=$gc_ms collections=$colls"
}

say "running ${#programs[@]} programs x ${#labels[@]} interpreters x $rounds rounds"
n=${#labels[@]}
for ((round = 1; round <= rounds; round++)); do
    for prog in "${programs[@]}"; do
        for ((k = 0; k < n; k++)); do
            run_one "$round" "$prog" "${labels[$(((k + round - 1) % n))]}"
        done
    done
done

# --- the table ----------------------------------------------------------------------------
mkdir -p "$root/target"
"$agg_python" - "$results" "$out_md" "$rounds" "$timer_name" \
    "$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(nproc 2>/dev/null || echo '?')" "${labels[@]}" <<'EOF'
import sys

results, out_md, rounds, timer_name, rev, cores = sys.argv[1:7]
labels = sys.argv[7:]
REFERENCE = "CPython 3.13"

rows = {}  # (program, label) -> list of run dicts
programs = []
for raw in open(results):
    f = raw.rstrip("\n").split("\t")
    prog, label, rnd, status, wall, rss, checksum, gc_ms, colls, msg = f
    if prog not in programs:
        programs.append(prog)
    rows.setdefault((prog, label), []).append(
        dict(status=status, wall=wall, rss=rss, checksum=checksum, gc_ms=gc_ms,
             colls=colls, msg=msg))


def median(values):
    values = sorted(values)
    n = len(values)
    if n == 0:
        return None
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def esc(text):
    return text.replace("|", "\\|")


lines = []
lines.append("## pymem against CPython: Python programs")
lines.append("")
lines.append(f"{rounds} round(s), interleaved; medians over the rounds. Wall time and peak RSS "
             f"from {timer_name}; gc ms and collections from each program's own RESULT line "
             f"(gc.callbacks, gc.get_stats()). Commit {rev}, {cores} cores.")
lines.append("")
lines.append("| program | interpreter | wall s | peak RSS MB | gc ms | collections g0/g1/g2 "
             "| wall vs 3.13 | checksum |")
lines.append("| --- | --- | ---: | ---: | ---: | --- | ---: | --- |")

mismatch = False
cpython_failed = False
checksums = {}
for prog in programs:
    runs_of = {label: rows.get((prog, label), []) for label in labels}
    ref_ok = [r["checksum"] for r in runs_of.get(REFERENCE, []) if r["status"] == "ok"]
    if ref_ok:
        reference = ref_ok[0]
    else:
        any_ok = [r["checksum"] for l in labels for r in runs_of[l] if r["status"] == "ok"]
        reference = any_ok[0] if any_ok else None
    checksums[prog] = reference
    ref_wall = median([float(r["wall"]) for r in runs_of.get(REFERENCE, [])
                       if r["status"] == "ok"])
    for label in labels:
        runs = runs_of[label]
        ok = [r for r in runs if r["status"] == "ok"]
        failed = [r for r in runs if r["status"] != "ok"]
        if failed and label != "pymem":
            cpython_failed = True
        if not ok:
            msg = failed[0]["msg"] if failed else "did not run"
            lines.append(f"| {prog} | {label} | fails: {esc(msg)} | | | | | |")
            continue
        wall = median([float(r["wall"]) for r in ok])
        rss = median([float(r["rss"]) for r in ok]) / 1024.0
        gcs = [float(r["gc_ms"]) for r in ok]
        gc_text = "-1 (no perf_counter)" if min(gcs) < 0 else f"{median(gcs):.1f}"
        colls = []
        for r in ok:
            if r["colls"] not in colls:
                colls.append(r["colls"])
        ratio = f"{wall / ref_wall:.2f}x" if ref_wall else "-"
        bad = sorted(set(r["checksum"] for r in ok if r["checksum"] != reference))
        if bad:
            mismatch = True
            check = esc("MISMATCH: " + ", ".join(bad) + f" (expected {reference})")
        else:
            check = "ok"
        if failed:
            check += esc(f"; {len(failed)} of {len(runs)} runs fail: {failed[0]['msg']}")
        lines.append(f"| {prog} | {label} | {wall:.2f} | {rss:.1f} | {gc_text} | "
                     f"{', '.join(colls)} | {ratio} | {check} |")

lines.append("")
lines.append("Checksums (CPython 3.13's): " + ", ".join(
    f"{p} {checksums[p]}" for p in programs) + ".")
if mismatch:
    lines.append("")
    lines.append("**Checksum mismatch**: at least one interpreter computed a different result.")
text = "\n".join(lines) + "\n"
sys.stdout.write(text)
with open(out_md, "w") as f:
    f.write(text)
sys.stderr.write(f"written to {out_md}\n")
sys.exit(1 if mismatch else 2 if cpython_failed else 0)
EOF
