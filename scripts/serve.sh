#!/usr/bin/env bash
# The main job: install, build, create the district server's database (one SQLite
# file) with the sample areas and the form pack, add a commune worker and a
# district officer and an administrator with dashboard passwords, print how to sign
# in to the dashboard and how to enroll a device and sync, and serve on loopback.
#   SOTAY_DATA (default ./sotay-data) holds server.db and the generated passwords
#   (dashboard-passwords.txt, readable only by you); PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # the database holds children's records: readable by this account only
bash scripts/install-deps.sh
bash scripts/build.sh
server=./build/sync-server/sotay-server
data=${SOTAY_DATA:-./sotay-data}
port=${PORT:-8080}
mkdir -p "$data"
db="$data/server.db"
passwords="$data/dashboard-passwords.txt"
if [ ! -f "$db" ]; then
  $server admin init --db "$db" --areas sync-server/areas-sample.csv --forms schemas
  $server admin add-user --db "$db" --id worker-01234 --role worker --area 01234

  SOTAY_PW_DISTRICT=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
  SOTAY_PW_ADMIN=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
  export SOTAY_PW_DISTRICT SOTAY_PW_ADMIN
  $server admin add-user --db "$db" --id district-148 --role district --area 148 --password-env SOTAY_PW_DISTRICT
  $server admin add-user --db "$db" --id admin --role admin --password-env SOTAY_PW_ADMIN
  printf 'district-148 %s\nadmin %s\n' "$SOTAY_PW_DISTRICT" "$SOTAY_PW_ADMIN" > "$passwords"
  unset SOTAY_PW_DISTRICT SOTAY_PW_ADMIN
fi
code=$($server admin enroll-code --db "$db" --user worker-01234 | head -n1 | cut -d' ' -f1)
cat <<MSG

Server database: $db (areas: sync-server/areas-sample.csv; forms: schemas/)

Dashboard for district staff: open http://127.0.0.1:$port/ in a browser and sign in
as district-148 (records, conflicts, reports, export) or admin (devices, audit log);
the passwords are in $passwords.
Enroll a device for worker-01234 (commune 01234) and sync, in another terminal:

  export SOTAY_HOME=/tmp/sotay-phone1
  ./build/client-shell/sotay init
  ./build/client-shell/sotay enroll http://127.0.0.1:$port $code
  ./build/client-shell/sotay new child_profile
  ./build/client-shell/sotay sync

Health: curl http://127.0.0.1:$port/healthz    Metrics: curl http://127.0.0.1:$port/metrics
The whole walk-through (two devices, records, a conflict) in one go: bash scripts/walkthrough.sh

MSG
exec $server serve --db "$db" --bind 127.0.0.1 --port "$port"
