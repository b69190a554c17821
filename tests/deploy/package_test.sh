#!/usr/bin/env bash
# The .deb packages as an operator gets them (docs/deploy/debian.md): their contents
# and control files, the unit file through `systemd-analyze verify` and `security`,
# and the unit's own ExecStart line, run from the unpacked tree with the shipped
# configuration (database and port moved to a temp dir), answering /healthz.
#
#   bash tests/deploy/package_test.sh DIR   (DIR holds sotay_*.deb and sotay-server_*.deb)
#
# Needs dpkg-deb, systemd-analyze (Debian's systemd) and curl. No running systemd,
# no root: the packages are unpacked with dpkg -x into a temp folder, not installed.
set -euo pipefail
dir=${1:?usage: package_test.sh DIR_WITH_DEBS}
shell_deb=$(ls "$dir"/sotay_*.deb)
server_deb=$(ls "$dir"/sotay-server_*.deb)
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package_test: FAIL: $*" >&2; exit 1; }
has() { grep -qxF -- "$2" <<<"$1" || fail "$3"; }

echo "== control files"
info=$(dpkg-deb -f "$server_deb" Package Depends)
grep -q '^Package: sotay-server$' <<<"$info" || fail "sotay-server.deb is named: $info"
grep -q 'adduser' <<<"$info" || fail "sotay-server does not depend on adduser (postinst needs it): $info"
grep -q 'libsqlite3' <<<"$info" || fail "sotay-server's Depends miss its libraries: $info"
[ "$(dpkg-deb -f "$shell_deb" Package)" = sotay ] || fail "the shell's package is not named sotay"
mkdir "$work/control"
dpkg-deb -e "$server_deb" "$work/control"
grep -qxF /etc/sotay/sotay-server.conf "$work/control/conffiles" || fail "the configuration is not a conffile"
grep -q 'adduser --system' "$work/control/postinst" || fail "postinst does not create the system user"

echo "== contents"
server_files=$(dpkg-deb -c "$server_deb" | awk '{print $6}')
for f in ./usr/bin/sotay-server ./lib/systemd/system/sotay-server.service ./etc/sotay/sotay-server.conf \
         ./usr/share/sotay/schemas/child_profile.json ./usr/share/doc/sotay-server/debian.md \
         ./usr/share/doc/sotay-server/README.md; do
  has "$server_files" "$f" "sotay-server.deb lacks $f"
done
grep -q '^\./usr/bin/sotay$' <<<"$server_files" && fail "sotay-server.deb carries the shell too"
shell_files=$(dpkg-deb -c "$shell_deb" | awk '{print $6}')
has "$shell_files" ./usr/bin/sotay "sotay.deb lacks ./usr/bin/sotay"
grep -q 'schemas' <<<"$shell_files" && fail "sotay.deb carries the form pack as well (a file conflict)"

echo "== unpacked"
root="$work/root"
dpkg -x "$shell_deb" "$root"
dpkg -x "$server_deb" "$root"
"$root/usr/bin/sotay" --help >/dev/null || fail "the packaged sotay does not run"

echo "== systemd-analyze verify"
unit="$root/lib/systemd/system/sotay-server.service"
# The unit as shipped, but for ExecStart's binary, which verify wants to exist: the
# unpacked one. (--root would also need systemd's own units in the tree.) Any output
# fails too: verify only warns, exit 0, on an unknown or misspelt key.
mkdir "$work/verify-unit"
sed "s|=/usr/bin/sotay-server |=$root/usr/bin/sotay-server |" "$unit" >"$work/verify-unit/sotay-server.service"
grep -q "^ExecStart=$root/usr/bin/sotay-server " "$work/verify-unit/sotay-server.service" ||
  fail "the unit's ExecStart does not start /usr/bin/sotay-server"
if ! systemd-analyze verify --man=no "$work/verify-unit/sotay-server.service" >"$work/verify" 2>&1 ||
   [ -s "$work/verify" ]; then
  cat "$work/verify" >&2
  fail "systemd-analyze verify complained about the unit"
fi
# The hardening, scored by systemd itself: 10 is fully exposed, below 2 is "OK".
# --threshold counts in tenths of that scale (systemd 252): 20 is 2.0.
systemd-analyze security --offline=yes --root="$root" --threshold=20 "$unit" >"$work/security" 2>&1 ||
  { tail -5 "$work/security" >&2; fail "systemd-analyze security scores the unit above 2"; }
grep -E '^→ Overall exposure' "$work/security" || true

echo "== the unit's ExecStart, from the unpacked tree"
set -a
# shellcheck disable=SC1091
. "$root/etc/sotay/sotay-server.conf"
set +a
SOTAY_DB="$work/state/sotay.db"  # the unit's StateDirectory, here a temp folder
SOTAY_PORT=0                     # any free port; the server prints which
mkdir -m 700 "$work/state"
printf 'code,name,parent_code,level\n01,Tỉnh,,province\n001,Huyện,01,district\n01234,Xã,001,commune\n' >"$work/areas.csv"
"$root/usr/bin/sotay-server" admin init --db "$SOTAY_DB" --areas "$work/areas.csv" --forms "$root$SOTAY_FORMS" >/dev/null
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_start" ] || fail "the unit has no ExecStart"
exec_start=${exec_start//\/usr\/bin\//$root/usr/bin/}
# systemd expands ${VAR} from EnvironmentFile= as whole words, as this eval does here.
eval "set -- $exec_start"
"$@" >"$work/out" 2>"$work/err" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$work/out")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/err" >&2; fail "the server exited at start"; }
  sleep 0.2
done
[ -n "$url" ] || fail "the server did not say where it listens"
case "$url" in http://127.0.0.1:*) ;; *) fail "the server listens on $url, not the configured 127.0.0.1" ;; esac
health=$(curl -fsS "$url/healthz") || fail "GET /healthz failed"
[ "$health" = '{"ok":true}' ] || fail "GET /healthz said $health"
echo "package_test: ok ($url/healthz: $health)"
