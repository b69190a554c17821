#!/usr/bin/env bash
# The main job, end to end, as a worker would do it: install, build, create an
# encrypted notebook, fill the child profile, find the child without diacritics,
# and show that the name is nowhere in the file in clear.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
sotay=./build/client-shell/sotay
home=$(mktemp -d /tmp/sotay-demo.XXXXXX)
export SOTAY_HOME="$home"
# For a script only: a person types the passphrase at the prompt (no echo).
export SOTAY_PASSPHRASE="demo passphrase, not for real use"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
step sotay init --area 01234 --user worker-demo
$sotay init --area 01234 --user worker-demo
step sotay forms
$sotay forms
step sotay new child_profile --answers examples/child_nguyen.json
id=$($sotay new child_profile --answers examples/child_nguyen.json)
echo "$id"
step sotay list --find nguyen
$sotay list --find nguyen
step sotay show "${id: -8}"
$sotay show "${id: -8}"
step sotay edit "${id: -8}" in_school=yes school_level=primary
$sotay edit "${id: -8}" in_school=yes school_level=primary
step sotay history "${id: -8}"
$sotay history "${id: -8}"
step sotay status
$sotay status
step "grep -a 'Nguyễn Thị Ánh' $home/notebook.db*"
if grep -a -q "Nguyễn Thị Ánh" "$home"/notebook.db*; then
  echo "FOUND IN CLEAR — this is a bug"; exit 1
else
  echo "not found: the name is only in the file sealed"
fi
step "SOTAY_PASSPHRASE=wrong sotay list"
SOTAY_PASSPHRASE=wrong $sotay list || echo "(exit code $?)"
cat <<MSG

Try the interview yourself (Vietnamese; --lang en for English):
  SOTAY_HOME=$home SOTAY_PASSPHRASE='$SOTAY_PASSPHRASE' $sotay new child_profile
MSG
