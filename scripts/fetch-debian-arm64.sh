#!/usr/bin/env bash
# Fetches Debian's arm64 builds of liblz4-dev and zlib1g-dev (for
# e2e.libc_debian) and of the shared libraries zlib1g, libsqlite3-0 and
# libzstd1 with libzstd-dev (for e2e.shared_libraries), at exactly the
# versions of the amd64 packages installed (scripts/install-deps.sh), and
# unpacks them into a cache outside the repository:
#
#   ${GOTRAMP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gotramp}/debian-arm64/PKG_VERSION/
#     PKG_VERSION_arm64.deb   the archive apt downloaded
#     root/                   dpkg-deb -x of it (root/usr/lib/aarch64-linux-gnu/*.a, *.so.*)
#
# Each version is fetched once. Nothing is installed and the system's dpkg
# and apt state are not touched: `apt-get download` runs against a private
# apt state (lists, cache, an empty dpkg status) under the cache, with the
# machine's own sources and keyrings and arm64 as its only architecture.
# (Installing the :arm64 packages through multiarch would pull in
# libc6:arm64 in /lib/aarch64-linux-gnu, which `qemu-aarch64-static -L
# /usr/aarch64-linux-gnu` then loads instead of the cross glibc.)
#
#   scripts/fetch-debian-arm64.sh           fetch what is missing
#   scripts/fetch-debian-arm64.sh --check   fetch nothing; print "PKG DIR" for
#                                           each package, or fail naming this script
set -euo pipefail

packages=(liblz4-dev zlib1g-dev zlib1g libsqlite3-0 libzstd1 libzstd-dev)
check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
self=scripts/fetch-debian-arm64.sh
die() { echo "fetch-debian-arm64: error: $*" >&2; exit 1; }

cache=${GOTRAMP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gotramp}/debian-arm64

# PKG_VERSION with the epoch's colon escaped as apt does in archive names.
declare -A key
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p:amd64" 2>/dev/null) && [ "${status:0:2}" = ii ] ||
    die "$p:amd64 is not installed (scripts/install-deps.sh installs it)"
  v=$(dpkg-query -W -f='${Version}' "$p:amd64")
  key[$p]=${p}_${v//:/%3a}
done

missing=()
for p in "${packages[@]}"; do
  [ -f "$cache/${key[$p]}/complete" ] || missing+=("$p")
done
if [ "$check" -eq 1 ]; then
  [ ${#missing[@]} -eq 0 ] ||
    die "no arm64 build of ${missing[*]} in $cache (run: bash $self; scripts/test.sh runs it)"
  for p in "${packages[@]}"; do echo "$p $cache/${key[$p]}"; done
  exit 0
fi
[ ${#missing[@]} -eq 0 ] && exit 0

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9  # another fetch may be running
apt=$cache/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
: >"$apt/status"
# The machine's apt.conf.d hooks refresh its own caches after an update and
# would run for this private one too; a -c file may #clear them.
printf '%s\n' '#clear APT::Update::Post-Invoke-Success;' '#clear APT::Update::Post-Invoke;' >"$apt/apt.conf"
# The sandbox user is the caller: the cache is usually below a home
# directory that _apt cannot enter.
opts=(-c "$apt/apt.conf" -o Dir::State="$apt" -o Dir::State::status="$apt/status"
      -o Dir::Cache="$apt/cache" -o APT::Architecture=arm64 -o APT::Architectures=arm64
      -o Acquire::Languages=none -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
      -o APT::Sandbox::User="$(id -un)")
echo "fetch-debian-arm64: apt-get update (arm64 only, private state in $apt)"
apt-get "${opts[@]}" -qq update || die "apt-get update for arm64 failed"
for p in "${missing[@]}"; do
  [ -f "$cache/${key[$p]}/complete" ] && continue
  v=$(dpkg-query -W -f='${Version}' "$p:amd64")
  tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
  (cd "$tmp" && apt-get "${opts[@]}" -qq download "$p:arm64=$v") ||
    { rm -rf "$tmp"; die "Debian's mirror has no $p:arm64 at $v, the installed amd64 version; upgrade both (apt-get install --only-upgrade $p) and run again"; }
  deb=("$tmp"/*.deb)
  [ ${#deb[@]} -eq 1 ] && [ "$(dpkg-deb -f "${deb[0]}" Version)" = "$v" ] &&
    [ "$(dpkg-deb -f "${deb[0]}" Architecture)" = arm64 ] ||
    { rm -rf "$tmp"; die "apt-get download $p:arm64=$v did not give one arm64 archive at $v"; }
  dpkg-deb -x "${deb[0]}" "$tmp/root"
  touch "$tmp/complete"
  rm -rf "${cache:?}/${key[$p]}"
  mv "$tmp" "$cache/${key[$p]}"
  echo "fetch-debian-arm64: $p $v (arm64) in $cache/${key[$p]}"
done
