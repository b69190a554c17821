#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ into build-fuzz/ (clang, ASan + UBSan) and
# runs each for SECONDS (default 30), one after the other, on a copy of its seed
# corpus in fuzz/corpus/ (the repo's corpus is not touched). Prints per target the
# runs, the coverage (cov: edges, ft: features) and the outcome; exits non-zero if
# any target crashed, leaked, hung or broke a check. A crashing input is saved in
# build-fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [--merge] [SECONDS] [TARGET...]
#
# SOTAY_FUZZ_BUILD_DIR=DIR uses a build directory already configured with
# SOTAY_FUZZ=ON (CI's sanitizer build, which also runs the tests) instead of
# configuring build-fuzz/.
#
# --merge adds the new inputs that reached new coverage to fuzz/corpus/<target>/,
# minimised with -merge=1 (commit them if they are few and small).
# SOTAY_FUZZ_JOBS (default nproc) is the build's parallelism and how many targets run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

merge=0
if [ "${1:-}" = "--merge" ]; then
  merge=1
  shift
fi
seconds=${1:-30}
[ $# -gt 0 ] && shift
all="cbor wire expr form import gzip zstd image_reduce areas signed_headers http_sync http_web"
targets=${*:-$all}

# The dictionary of each target (fuzz/dict/); form files hold expressions too.
dict_of() {
  case "$1" in
    cbor | wire | http_sync) echo cbor.dict ;;
    expr) echo expr.dict ;;
    form) echo "form.dict expr.dict" ;;
    signed_headers | http_web) echo http.dict ;;
    *) echo "" ;;
  esac
}

build=${SOTAY_FUZZ_BUILD_DIR:-build-fuzz}
if [ -z "${SOTAY_FUZZ_BUILD_DIR:-}" ]; then
  launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  echo "== build (build-fuzz: clang, libFuzzer, ASan + UBSan)"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DSOTAY_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSOTAY_BUILD_TESTS=OFF -DSOTAY_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
build_targets=()
for t in $targets; do build_targets+=("${t}_fuzz"); done
cmake --build "$build" -j"${SOTAY_FUZZ_JOBS:-$(nproc)}" --target "${build_targets[@]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/sotay-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One target: its corpus, its run, its outcome line in $work/$t.line (and its exit
# code in $work/$t.rc), so targets can run side by side and be reported in order.
run_one() {
  local t=$1
  local bin="$build/fuzz/${t}_fuzz" seeds="fuzz/corpus/$t" corpus="$work/$t"
  mkdir -p "$corpus" "$build/artifacts/$t"
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
  local dict="$work/$t.dict"
  : >"$dict"
  for d in $(dict_of "$t"); do cat "fuzz/dict/$d" >>"$dict"; done
  local dict_arg=()
  [ -s "$dict" ] && dict_arg=(-dict="$dict")
  local log="$work/$t.log" rc=0
  # -timeout: one input taking 10 s is a hang worth reporting; -rss_limit_mb is the default's.
  # SOTAY_FUZZ_SEED: a fixed seed makes a short CI slice repeatable; 0 (the default) is random.
  "$bin" -seed="${SOTAY_FUZZ_SEED:-0}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$root/$build/artifacts/$t/" "${dict_arg[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$work/$t.rc"
  if [ $merge = 1 ] && [ $rc -eq 0 ]; then
    mkdir -p "$seeds"
    local before
    before=$(ls "$seeds" | wc -l)
    "$bin" -merge=1 "${dict_arg[@]}" "$seeds" "$corpus" >"$work/$t.merge.log" 2>&1
    echo "   merged into $seeds: $before -> $(ls "$seeds" | wc -l) inputs" >"$work/$t.merged"
  fi
}

# Each target is one process on one core: run as many at once as there are cores
# (SOTAY_FUZZ_JOBS), so a 20 s slice of ten targets takes 100 s on CI's two, not 200.
jobs=${SOTAY_FUZZ_JOBS:-$(nproc)}
running=0
for t in $targets; do
  echo "== $t: ${seconds}s"
  run_one "$t" &
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=""
summary=""
for t in $targets; do
  log="$work/$t.log"
  rc=$(cat "$work/$t.rc" 2>/dev/null || echo "?")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)  # none when a seed crashes
  if [ "$rc" = 0 ]; then
    outcome="ok"
  else
    outcome="FAILED (exit $rc)"
    failed="$failed $t"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*FUZZ_CHECK|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -20 || true
    tail -40 "$log"
  fi
  line=$(printf '%-15s runs %-10s exec/s %-7s %-22s %s' "$t" "${runs:-?}" "${speed:-?}" "${cov:-cov: ?}" "$outcome")
  echo "$line"
  [ -f "$work/$t.merged" ] && cat "$work/$t.merged"
  summary="$summary$line"$'\n'
done

echo "== summary (${seconds}s each)"
printf '%s' "$summary"
if [ -n "$failed" ]; then
  echo "crashed or broke a check:$failed (inputs in $build/artifacts/)" >&2
  exit 1
fi
