#!/usr/bin/env bash
# Proves the README's two commands work on a clean Debian 12: debootstraps a
# bookworm root (from the Debian mirror this machine's apt uses), copies in the
# host's Go toolchain and, when there is one, its rustup toolchain, clones the
# committed state of this checkout into it, and runs ./scripts/demo.sh and
# ./scripts/test.sh inside with chroot. Prints each step's wall time; exits
# non-zero when either command fails. Not part of CI: it needs root, network
# to the Debian mirror, the Go module proxy and crates.io, and a long time.
#
#   sudo nice -n 19 ionice -c3 scripts/fresh-machine.sh [--root DIR] [--keep] [--tarball FILE]
#
#   --root DIR      build the root in DIR (new or empty; default: a temp dir under /var/tmp)
#   --keep          keep the root afterwards (it is deleted otherwise)
#   --tarball FILE  unpack the clean root from FILE if it exists; otherwise
#                   debootstrap and save the clean root to FILE for the next run
set -euo pipefail

usage() { sed -n '10,16s/^# \{0,1\}//p' "$0"; exit "${1:-2}"; }
die() { echo "fresh-machine: error: $*" >&2; exit 1; }
say() { printf '\n=== fresh-machine: %s\n' "$*"; }

root="" keep=0 tarball=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --tarball) [ $# -ge 2 ] || usage; tarball=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "fresh-machine: unknown argument: $1" >&2; usage ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount, chroot)"
repo=$(cd "$(dirname "$0")/.." && git rev-parse --show-toplevel) || die "not inside a git checkout"
[ -f "$repo/README.md" ] || die "no README.md in $repo"

# The host's toolchains. Go is required; Rust is optional (the suite skips the
# Rust tests without cargo), copied only when rustup manages it.
command -v go >/dev/null || die "go is not on PATH"
goroot=$(go env GOROOT)
[ -x "$goroot/bin/go" ] || die "no go binary in GOROOT $goroot"
goproxy=$(go env GOPROXY)
goflags=$(go env GOFLAGS)
rust_toolchain="" rustup_home="" cargo_home=""
if command -v rustup >/dev/null; then
  rustup_home=$(cd / && rustup show home)
  cargo_home=${CARGO_HOME:-$HOME/.cargo}
  rust_toolchain=$(cd / && rustup default | awk '{print $1}')
  [ -d "$rustup_home/toolchains/$rust_toolchain" ] && [ -x "$cargo_home/bin/rustup" ] ||
    { echo "note: rustup layout not understood; the Rust tests will be skipped" >&2; rust_toolchain=""; }
else
  echo "note: no rustup on the host; the Rust tests will be skipped inside" >&2
fi

# The Debian mirror apt uses: the first enabled "deb" source for suite
# bookworm, in one-line (*.list) or deb822 (*.sources) form, in the files apt reads.
mirror=""
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  mirror=$(awk '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
                if ($(i + 1) == "bookworm") { print $i; exit } }' "$f")
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    mirror=$(awk 'BEGIN { RS = ""; FS = "\n" }
      { types = uris = suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^#/ || !match($i, /^[A-Za-z-]+:/)) continue
          key = tolower(substr($i, 1, RLENGTH - 1)); val = " " substr($i, RLENGTH + 1) " "
          if (key == "types") types = val; else if (key == "uris") uris = val
          else if (key == "suites") suites = val; else if (key == "enabled") enabled = val }
        if (types ~ /[ \t]deb[ \t]/ && suites ~ /[ \t]bookworm[ \t]/ && enabled !~ /no/) {
          split(uris, u, " "); print u[1]; exit } }' "$f")
    [ -n "$mirror" ] && break
  done
fi
[ -n "$mirror" ] || die "found no 'deb ... bookworm' source in /etc/apt/sources.list or /etc/apt/sources.list.d/"

if [ -n "$(git -C "$repo" status --porcelain)" ]; then
  echo "note: $repo has uncommitted changes; they are not tested (the root gets a clone of HEAD)" >&2
fi

if [ -z "$root" ]; then
  root=$(mktemp -d /var/tmp/gotramp-fresh.XXXXXX)
else
  mkdir -p "$root"
  [ -z "$(ls -A "$root")" ] || die "--root $root is not empty"
fi
root=$(cd "$root" && pwd)
[ "$root" != / ] || die "refusing to use / as the root"

# Unmounts everything mounted below the root (deepest first) and, without
# --keep, deletes the root; never deletes while anything is still mounted there.
mounted=()
cleanup() {
  local rc=$? i
  set +e
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" ||
      echo "fresh-machine: could not unmount ${mounted[i]}" >&2
  done
  if findmnt -rn -o TARGET | awk -v r="$root/" 'index($0, r) == 1 { found = 1 } END { exit !found }'; then
    echo "fresh-machine: mounts remain below $root; not deleting it:" >&2
    findmnt -rn -o TARGET | grep -F "$root/" >&2
  elif [ "$keep" -eq 1 ]; then
    echo "fresh-machine: kept the root at $root"
  else
    rm -rf --one-file-system "$root"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

steps=() secs=() results=()
now() { date +%s; }
record() {  # name start result
  steps+=("$1"); secs+=($(($(now) - $2))); results+=("$3")
}

say "root $root, mirror $mirror, $(go env GOVERSION), rust ${rust_toolchain:-none}"

t=$(now)
if [ -n "$tarball" ] && [ -f "$tarball" ]; then
  say "unpacking the clean root from $tarball"
  tar -C "$root" --numeric-owner -xpf "$tarball"
  record "unpack clean root" "$t" ok
else
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  say "debootstrap bookworm"
  debootstrap --arch "$(dpkg --print-architecture)" bookworm "$root" "$mirror"
  record debootstrap "$t" ok
  if [ -n "$tarball" ]; then
    say "saving the clean root to $tarball"
    t=$(now)
    tar -C "$root" --numeric-owner --one-file-system -czf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    record "save tarball" "$t" ok
  fi
fi

t=$(now)
say "copying Go ($goroot)${rust_toolchain:+ and Rust ($rust_toolchain)}"
mkdir -p "$root$(dirname "$goroot")"
cp -a "$goroot" "$root$goroot"
path=$goroot/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ -n "$rust_toolchain" ]; then
  # Only the default toolchain (without its HTML docs) and the rustup proxies
  # in ~/.cargo/bin; no registry cache, so cargo fetches from crates.io as on
  # a new machine.
  mkdir -p "$root/root/.rustup/toolchains" "$root/root/.rustup/update-hashes" "$root/root/.cargo"
  cp -a "$rustup_home/settings.toml" "$root/root/.rustup/"
  [ -f "$rustup_home/update-hashes/$rust_toolchain" ] &&
    cp -a "$rustup_home/update-hashes/$rust_toolchain" "$root/root/.rustup/update-hashes/"
  tar -C "$rustup_home/toolchains" --exclude="$rust_toolchain/share/doc" -cf - "$rust_toolchain" |
    tar -C "$root/root/.rustup/toolchains" -xpf -
  cp -a "$cargo_home/bin" "$root/root/.cargo/"
  [ -f "$cargo_home/env" ] && cp -a "$cargo_home/env" "$root/root/.cargo/"
  path=/root/.cargo/bin:$path
fi
record "copy toolchains" "$t" ok

t=$(now)
say "cloning $repo ($(git -C "$repo" rev-parse --short HEAD))"
git clone -q --no-hardlinks "$repo" "$root/root/gotramp"
record "git clone" "$t" ok

say "mounting /proc, /sys, /dev, /dev/pts, /dev/shm and resolv.conf"
mnt() { mount "$@"; mounted+=("${*: -1}"); }  # mount, then remember the target for cleanup
mnt -t proc proc "$root/proc"
mnt --bind /sys "$root/sys"
mnt --bind /dev "$root/dev"
mnt --bind /dev/pts "$root/dev/pts"
mnt -t tmpfs -o mode=1777 shm "$root/dev/shm"
rm -f "$root/etc/resolv.conf"
touch "$root/etc/resolv.conf"
mnt --bind -o ro "$(readlink -f /etc/resolv.conf)" "$root/etc/resolv.conf"
# Like resolv.conf, the network's local CAs (a TLS-inspecting egress proxy
# signs with one here) belong to the machine, not to the project: the clean
# root gets them, and installing ca-certificates (install-deps) trusts them.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  say "copied the machine's local CAs: $(cd /usr/local/share/ca-certificates && echo *.crt)"
fi

env_inside=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash PATH="$path"
            GOPATH=/root/go GOCACHE=/root/.cache/go-build GOTOOLCHAIN=local GOPROXY="$goproxy")
[ -n "$goflags" ] && env_inside+=(GOFLAGS="$goflags")
say "environment inside: ${env_inside[*]}"

# The README's commands, exactly as its first code block gives them.
mapfile -t commands < <(awk '/^```/ { if (inblock) exit; inblock = 1; next }
                             inblock { sub(/[ \t]*#.*/, ""); if ($0 != "") print }' "$repo/README.md")
[ ${#commands[@]} -gt 0 ] || die "no commands in README.md's first code block"
failed=0
for cmd in "${commands[@]}"; do
  say "running inside: $cmd"
  t=$(now)
  if chroot "$root" /usr/bin/env -i "${env_inside[@]}" /bin/bash -c "cd /root/gotramp && $cmd"; then
    record "$cmd" "$t" ok
  else
    record "$cmd" "$t" "FAILED (exit $?)"
    failed=1
  fi
done

say "summary"
for i in "${!steps[@]}"; do
  printf '  %-22s %4dm%02ds  %s\n' "${steps[i]}" $((secs[i] / 60)) $((secs[i] % 60)) "${results[i]}"
done
if [ "$failed" -ne 0 ]; then
  echo "fresh-machine: FAILED on a clean Debian 12" >&2
  exit 1
fi
echo "fresh-machine: both README commands pass on a clean Debian 12"
