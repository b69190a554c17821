#!/usr/bin/env bash
# push_from_outside.sh: issue 13's measure of a push "from outside", the way a
# worker's computer does it. A fresh server on a SQLite file (synchronous=FULL) with
# the form pack; N generated children (about 20 answers each, notes of a few
# Vietnamese sentences) through `sotay import`, then a timed `sotay sync`, then a
# district device's `sotay sync` pulling them all.
#
#   bench/push_from_outside.sh [--pouchdb] [N=10000] [RUNS=3] [BUILD=build] [OTHER_BUILD]
#
# With OTHER_BUILD (a build directory of other code) the runs alternate between the
# two builds, so that the machine's drift falls on both alike. Prints per run and
# then the medians: the command's wall time (it includes unlocking the notebook:
# Argon2id, about 0.45 s here, once per command), the sync's span as the server
# saw it (first push request to last; the pull's likewise), the server's CPU and
# peak memory. Needs python3 (to write the children and read the server's log).
#
# --pouchdb adds the comparison the issue asks for, in the same rounds: the same
# children as PouchDB documents, replicated to pouchdb-server and back with
# PouchDB's defaults (bench/pouchdb_replicate.js), and the ratios of the medians.
# It needs node and npm; pouchdb-server 4.2.0 and pouchdb 9.0.0 are installed once
# from the npm registry into ${SOTAY_BENCH_CACHE:-~/.cache/sotay-bench}/pouchdb.
# Its LevelDB does not fsync a write, where Sotay's server commits with
# synchronous=FULL: the comparison favours PouchDB on the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
pouchdb=0
args=()
for a in "$@"; do
  if [ "$a" = --pouchdb ]; then pouchdb=1; else args+=("$a"); fi
done
set -- "${args[@]+"${args[@]}"}"
n=${1:-10000}
runs=${2:-3}
builds=("${3:-build}")
[ -n "${4:-}" ] && builds+=("$4")
pouch_dir=${SOTAY_BENCH_CACHE:-$HOME/.cache/sotay-bench}/pouchdb
if [ $pouchdb = 1 ] && [ ! -x "$pouch_dir/node_modules/.bin/pouchdb-server" ]; then
  command -v npm >/dev/null || { echo "push_from_outside: --pouchdb needs node and npm" >&2; exit 2; }
  mkdir -p "$pouch_dir"
  npm install --prefix "$pouch_dir" --no-audit --no-fund --loglevel=error pouchdb-server@4.2.0 pouchdb@9.0.0 >&2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/sotay-push.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export SOTAY_PASSPHRASE="bench passphrase, not for real use"

python3 - "$n" >"$work/children.jsonl" <<'PY'
import json, random, sys
random.seed(1)
fam = ["Nguyễn","Trần","Lê","Phạm","Hoàng","Vũ","Đặng","Bùi","Đỗ","Hồ","Ngô","Dương","Lý","Lò","Vi","Hà","Sùng","Giàng","Thào","Lục"]
mid = ["Thị","Văn","Đức","Minh","Ngọc","Thu","Quang","Hữu","Thanh","Kim"]
giv = ["Ánh","Bình","Cường","Dũng","Hà","Hải","Hương","Lan","Linh","Mai","Nam","Nga","Phúc","Quỳnh","Sơn","Tâm","Thảo","Trang","Tú","Vy"]
vil = ["Bản Phố","Bản Mới","Bản Trên","Bản Dưới","Nà Cà","Pắc Ta","Khuổi Hao","Thôn 3","Thôn 5","Làng Chài"]
notes = ["Nhà cách trường {} km, đường đèo.", "Mẹ đi làm ở Bình Dương từ năm {}.",
         "Cháu ở với bà ngoại, bà {} tuổi, sức khỏe yếu.", "Gia đình thuộc hộ nghèo, được hỗ trợ gạo {} tháng một lần.",
         "Cháu nghỉ học {} tuần để phụ giúp gia đình làm nương.", "Đã đến thăm {} lần trong năm, cháu khỏe mạnh."]
name = lambda: f"{random.choice(fam)} {random.choice(mid)} {random.choice(giv)}"
for _ in range(int(sys.argv[1])):
    y = random.randint(2011, 2022)
    away = random.choice(["none", "mother", "both"])
    r = {"full_name": name(), "sex": random.choice(["female", "male"]),
         "dob": f"{y}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
         "ethnicity": random.choice(["kinh", "tay", "thai", "mong", "dao", "muong"]),
         "birth_registered": random.choice(["yes", "yes", "yes", "no"]), "village": random.choice(vil),
         "nationality": "vietnamese", "living_with": random.choice(["both_parents", "relatives", "one_parent"]),
         "caregiver_name": name(), "caregiver_phone": f"09{random.randint(10, 99)} {random.randint(100, 999)} {random.randint(100, 999)}",
         "parents_working_away": away, "household_poverty": random.choice(["poor", "near_poor", "neither"]),
         "in_school": "yes", "school_level": "lower_secondary" if y <= 2015 else ("primary" if y <= 2019 else "preschool"),
         "health_insurance": random.choice(["yes", "no"]), "disability": "no", "child_works": "no",
         "disaster_affected": "no",
         "notes": " ".join(random.choice(notes).format(random.randint(1, 20)) for _ in range(random.randint(2, 4)))}
    if away != "none":
        r["parents_away_since"] = f"{random.randint(2018, 2025)}-{random.randint(1, 12):02d}-01"
        r["left_behind_carer"] = random.choice(["grandparents", "relatives"])
    print(json.dumps(r, ensure_ascii=False))
PY

one_run() {  # one_run BUILD: prints "command_s span_s server_cpu_s pull_s pull_span_s peak_mib"
  local b=$1 w
  w=$(mktemp -d "$work/run.XXXX")
  local server=$b/sync-server/sotay-server sotay=$b/client-shell/sotay db=$w/server.db
  $server admin init --db "$db" --areas sync-server/areas-sample.csv --forms schemas >/dev/null
  $server admin add-user --db "$db" --id lan --role worker --area 01234 >/dev/null
  $server admin add-user --db "$db" --id district --role district --area 148 >/dev/null
  $server serve --db "$db" --port 0 >"$w/server.out" 2>"$w/server.log" &
  local spid=$!
  for _ in $(seq 100); do grep -q listening "$w/server.out" 2>/dev/null && break; sleep 0.1; done
  local url
  url=$(sed -n 's/^listening on //p' "$w/server.out")
  for who in lan district; do
    SOTAY_HOME=$w/$who $sotay init >/dev/null
    SOTAY_HOME=$w/$who $sotay enroll "$url" "$($server admin enroll-code --db "$db" --user $who 2>/dev/null | head -n1 | cut -d' ' -f1)" >/dev/null
  done
  # Its notes on children alike in name and birth day (allowed here) are not the figures.
  SOTAY_HOME=$w/lan $sotay import child_profile "$work/children.jsonl" --allow-duplicates >/dev/null 2>"$w/import.err" \
    || { cat "$w/import.err" >&2; exit 1; }
  local c0 c1 t0 t1 t2
  c0=$(awk '{print $14+$15}' /proc/$spid/stat)
  t0=$(date +%s.%N)
  SOTAY_HOME=$w/lan $sotay sync >/dev/null 2>&1
  t1=$(date +%s.%N)
  c1=$(awk '{print $14+$15}' /proc/$spid/stat)
  SOTAY_HOME=$w/district $sotay sync >/dev/null 2>&1
  t2=$(date +%s.%N)
  local peak
  peak=$(awk '/VmHWM/ {print $2}' /proc/$spid/status)
  kill $spid; wait $spid 2>/dev/null || true
  python3 - "$w/server.log" "$t0" "$t1" "$t2" "$c0" "$c1" "$peak" <<'PY'
import datetime, json, sys
log, t0, t1, t2, c0, c1, peak = sys.argv[1], *map(float, sys.argv[2:])
when = lambda j: datetime.datetime.fromisoformat(j["time"].replace("Z", "+00:00")).timestamp()
lines = [json.loads(l) for l in open(log) if l.startswith("{")]  # the log's other lines are the server's own words
def span(key):  # first request that moved records to the last; a line is written as its request ends
    moved = [j for j in lines if j.get("path") == "/v1/sync" and j.get("counts", {}).get(key, 0) > 0]
    return when(moved[-1]) - when(moved[0]) + moved[0]["duration_ms"] / 1000
print(f"{t1 - t0:.3f} {span('pushed'):.3f} {(c1 - c0) / 100:.2f} {t2 - t1:.3f} {span('pulled'):.3f} {peak / 1024:.0f}")
PY
  rm -rf "$w"
}

pouch_run() {  # prints "push_s pull_s peak_mib" for PouchDB on the same children
  local w port
  w=$(mktemp -d "$work/pouch.XXXX")
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # In its own folder: it writes config.json and log.txt where it starts.
  (cd "$w" && exec "$pouch_dir/node_modules/.bin/pouchdb-server" --host 127.0.0.1 --port "$port" --dir "$w/server" \
    --no-stdout-logs >"$w/server.log" 2>&1) &
  local spid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
  local out
  out=$(NODE_PATH="$pouch_dir/node_modules" node bench/pouchdb_replicate.js "$work/children.jsonl" \
    "http://127.0.0.1:$port" "$w")
  local peak
  peak=$(awk '/VmHWM/ {print $2}' /proc/$spid/status)
  kill $spid; wait $spid 2>/dev/null || true
  python3 - "$out" "$peak" <<'PY'
import json, sys
j = json.loads(sys.argv[1])
print(f"{j['push_s']:.3f} {j['pull_s']:.3f} {int(sys.argv[2]) / 1024:.0f}")
PY
  rm -rf "$w"
}

for ((r = 1; r <= runs; r++)); do
  for b in "${builds[@]}"; do
    line=$(one_run "$b")
    echo "$b $line" >>"$work/results"
    read -r cmd span cpu pull pull_span peak <<<"$line"
    printf '%-24s push: command %.2f s, sync %.2f s (%s children/s), server CPU %s s; pull %.2f s (sync %.2f s); server peak %s MiB\n' \
      "$b" "$cmd" "$span" "$(python3 -c "print(round($n / $span))")" "$cpu" "$pull" "$pull_span" "$peak"
  done
  if [ $pouchdb = 1 ]; then
    line=$(pouch_run)
    echo "$line" >>"$work/pouch"
    read -r push pull peak <<<"$line"
    printf '%-24s push %.2f s (%s children/s); pull %.2f s; server peak %s MiB\n' \
      PouchDB "$push" "$(python3 -c "print(round($n / $push))")" "$pull" "$peak"
  fi
done
python3 - "$work/results" "$n" "$work/pouch" <<'PY'
import os, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    b, *v = line.split()
    rows.setdefault(b, []).append(list(map(float, v)))
n = int(sys.argv[2])
med = lambda v, i: statistics.median(x[i] for x in v)
for b, v in rows.items():
    m = [med(v, i) for i in range(6)]
    print(f"median {b}: push command {m[0]:.2f} s ({n / m[0]:,.0f}/s), sync {m[1]:.2f} s ({n / m[1]:,.0f}/s), "
          f"server CPU {m[2]:.2f} s; pull command {m[3]:.2f} s ({n / m[3]:,.0f}/s), sync {m[4]:.2f} s "
          f"({n / m[4]:,.0f}/s); server peak {m[5]:.0f} MiB; {len(v)} runs")
if os.path.exists(sys.argv[3]):
    p = [list(map(float, line.split())) for line in open(sys.argv[3])]
    push, pull, peak = med(p, 0), med(p, 1), med(p, 2)
    print(f"median PouchDB: push {push:.2f} s ({n / push:,.0f}/s); pull {pull:.2f} s ({n / pull:,.0f}/s); "
          f"server peak {peak:.0f} MiB; {len(p)} runs")
    for b, v in rows.items():
        print(f"ratio {b} to PouchDB: push {push / med(v, 1):.1f}x (sync span), {push / med(v, 0):.1f}x (command); "
              f"pull {pull / med(v, 4):.1f}x (sync span), {pull / med(v, 3):.1f}x (command); "
              f"server peak {peak / med(v, 5):.1f}x smaller")
PY
