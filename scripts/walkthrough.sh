#!/usr/bin/env bash
# The whole sync story in one go, for a newcomer: a district server, two commune
# workers' devices, a child recorded offline, edits on both devices (different
# fields merge; the same field becomes a conflict), and the district officer's
# decision syncing back, then the family moving to another commune: the child and
# her history go to Vạn Mai's worker and leave Chiềng Châu's devices. Everything
# runs on loopback in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
bash scripts/build.sh >/dev/null
server=$PWD/build/sync-server/sotay-server
sotay=$PWD/build/client-shell/sotay
work=$(mktemp -d /tmp/sotay-walkthrough.XXXXXX)
db=$work/server.db
export SOTAY_PASSPHRASE="walkthrough passphrase (scripts only)"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
dev() { local who=$1; shift; SOTAY_HOME=$work/$who "$sotay" "$@"; }

step "District server: sample areas, the form pack, two workers of commune 01234 and a district officer"
$server admin init --db "$db" --areas sync-server/areas-sample.csv --forms schemas
$server admin add-user --db "$db" --id lan --role worker --area 01234
$server admin add-user --db "$db" --id hung --role worker --area 01234
$server admin add-user --db "$db" --id district --role district --area 148
$server admin add-user --db "$db" --id mai --role worker --area 01237
$server serve --db "$db" --port 0 > "$work/server.out" 2> "$work/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/server.out")
echo "server at $url"

for who in lan hung district mai; do
  step "Device of $who: encrypted notebook, one-time enrollment code"
  dev $who init
  code=$($server admin enroll-code --db "$db" --user $who | head -n1 | cut -d' ' -f1)
  dev $who enroll "$url" "$code"
done

step "Lan records a child offline, then finds signal and syncs"
id=$(dev lan new child_profile --answers examples/child_nguyen.json)
dev lan sync
short=${id: -8}
step "Hùng syncs and sees the child"
dev hung sync
dev hung list

step "Offline, Lan changes the village and Hùng the health insurance: different fields"
dev lan edit "$short" "village=Bản Mới"
dev hung edit "$short" health_insurance=no
dev lan sync; dev hung sync; dev lan sync
dev lan show "$short" | grep -E "Thôn|bảo hiểm"

step "Offline, both change the village: the same field, two values"
dev lan edit "$short" "village=Bản Trên"
dev hung edit "$short" "village=Bản Dưới"
dev lan sync; dev hung sync; dev lan sync
dev hung conflicts

step "The district officer syncs, sees both values side by side, and decides"
dev district sync
dev district conflicts
dev district edit "$short" "village=Bản Dưới"
dev district sync; dev lan sync; dev hung sync
step "The decision reached both workers: no conflict left"
dev lan conflicts
dev hung show "$short" | grep Thôn
dev lan status
# ---- DUPQ: a duplicate found on the dashboard and merged (issue 14, part 5)
step "Hùng records the same child again; his device warns (same name and birth date), he saves anyway"
dev hung sync
dup=$(dev hung new child_profile --answers examples/child_nguyen.json --allow-duplicate)
dev hung sync
step "A district officer opens the dashboard: the pair waits under 'Có thể trùng / Possible duplicates'"
export WALK_DASHBOARD_PW="walkthrough dashboard password"
$server admin add-user --db "$db" --id officer --role district --area 148 --password-env WALK_DASHBOARD_PW
jar=$work/dashboard.cookies
web() { curl -sS -b "$jar" -c "$jar" -H "Origin: $url" "$@"; }
web -o /dev/null --data-urlencode user=officer --data-urlencode "password=$WALK_DASHBOARD_PW" "$url/login"
queue=$(web "$url/duplicates")
grep -o 'id="count">[^<]*' <<<"$queue" | sed 's/.*>//'
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$queue" | head -n1 | sed 's/.*value="//; s/"//')
step "Same child: Lan's first profile survives, Hùng's is marked merged into it (edits that sync)"
web -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "a=$id" --data-urlencode "b=$dup" \
  --data-urlencode "keep=$id" "$url/duplicates/merge"
grep -o 'id="count">[^<]*' <<<"$(web "$url/duplicates")" | sed 's/.*>//'
dev hung sync
dev hung show "${dup: -8}" | grep -Ei "gộp|merged"
# ---- end of DUPQ


step "The family moves to Vạn Mai (01237): Lan transfers the child (asked to confirm)"
dev mai sync; dev lan sync   # Lan first pulls what the district decided (the merged duplicate)
echo c | dev lan transfer "$short" --to 01237
dev lan sync; dev hung sync
step "Chiềng Châu's devices no longer hold her"
dev lan list
dev hung list
step "Mai, in Vạn Mai, pulls her whole, with her history"
dev mai sync
dev mai list
dev mai history "$short" | sed -n 1,12p  # sed reads it all: no SIGPIPE under pipefail
step "The district's year: the report workbook for the province (figures as they stood at the year's end)"
$server report --db "$db" --area 148 --year "$(date +%Y)" --out "$work/bao-cao-tre-em.xlsx"
$server report --db "$db" --area 148 --year "$(date +%Y)" --out "$work/bao-cao-tre-em.csv" --semicolon
awk -F';' '$2 == "children_total" && $8 == ""' "$work/bao-cao-tre-em.csv"   # the unbroken figure, by unit
echo; echo "Server log (structured, no personal data): $work/server.log"; tail -n 3 "$work/server.log"
