#!/usr/bin/env bash
# push_from_outside.sh: issue 13's measure of a push "from outside", the way a
# worker's computer does it. A fresh server on a SQLite file (synchronous=FULL) with
# the form pack; N generated children (about 20 answers each, notes of a few
# Vietnamese sentences) through `sotay import`, then a timed `sotay sync`, then a
# district device's `sotay sync` pulling them all.
#
#   bench/push_from_outside.sh [N=10000] [RUNS=3] [BUILD=build] [OTHER_BUILD]
#
# With OTHER_BUILD (a build directory of other code) the runs alternate between the
# two builds, so that the machine's drift falls on both alike. Prints per run and
# then the medians: the command's wall time (it includes unlocking the notebook:
# Argon2id, about 0.45 s here, once per command), the sync's span as the server
# saw it (first push request to last), the server's CPU and peak memory. Needs
# python3 (to write the children and read the server's log).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-3}
builds=("${3:-build}")
[ -n "${4:-}" ] && builds+=("$4")
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

one_run() {  # one_run BUILD: prints "command_s span_s server_cpu_s pull_s peak_mib"
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
  SOTAY_HOME=$w/lan $sotay import child_profile "$work/children.jsonl" --allow-duplicates >/dev/null
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
pushes = [j for j in lines if j.get("path") == "/v1/sync" and j.get("counts", {}).get("pushed", 0) > 0]
span = when(pushes[-1]) - when(pushes[0]) + pushes[0]["duration_ms"] / 1000  # a line is written as its request ends
print(f"{t1 - t0:.3f} {span:.3f} {(c1 - c0) / 100:.2f} {t2 - t1:.3f} {peak / 1024:.0f}")
PY
  rm -rf "$w"
}

for ((r = 1; r <= runs; r++)); do
  for b in "${builds[@]}"; do
    line=$(one_run "$b")
    echo "$b $line" >>"$work/results"
    read -r cmd span cpu pull peak <<<"$line"
    printf '%-24s push: command %.2f s, sync %.2f s (%s children/s), server CPU %s s; pull %.2f s; server peak %s MiB\n' \
      "$b" "$cmd" "$span" "$(python3 -c "print(round($n / $span))")" "$cpu" "$pull" "$peak"
  done
done
python3 - "$work/results" "$n" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    b, *v = line.split()
    rows.setdefault(b, []).append(list(map(float, v)))
n = int(sys.argv[2])
for b, v in rows.items():
    m = [statistics.median(x[i] for x in v) for i in range(5)]
    print(f"median {b}: push command {m[0]:.2f} s ({n / m[0]:,.0f}/s), sync {m[1]:.2f} s ({n / m[1]:,.0f}/s), "
          f"server CPU {m[2]:.2f} s; pull command {m[3]:.2f} s ({n / m[3]:,.0f}/s); server peak {m[4]:.0f} MiB; {len(v)} runs")
PY
