#!/usr/bin/env bash
# The main job: install, build, create the district server's database (one SQLite
# file) with the sample areas and the form pack, add a commune worker and a
# district officer, print how to enroll a device and sync, and serve on loopback.
#   SOTAY_DATA (default ./sotay-data) holds server.db; PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
server=./build/sync-server/sotay-server
data=${SOTAY_DATA:-./sotay-data}
port=${PORT:-8080}
mkdir -p "$data"
db="$data/server.db"
if [ ! -f "$db" ]; then
  $server admin init --db "$db" --areas sync-server/areas-sample.csv --forms schemas
  $server admin add-user --db "$db" --id worker-01234 --role worker --area 01234
  $server admin add-user --db "$db" --id district-148 --role district --area 148
fi
code=$($server admin enroll-code --db "$db" --user worker-01234 | head -n1 | cut -d' ' -f1)
cat <<MSG

Server database: $db (areas: sync-server/areas-sample.csv; forms: schemas/)
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
