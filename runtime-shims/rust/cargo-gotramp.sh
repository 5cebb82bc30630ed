#!/bin/sh
# cargo build hook: builds a crate as a staticlib the way gotramp can pack it,
# for each Go target, then writes the Go package from the staticlibs' DWARF
# (no header), one .syso per target.
#
#   runtime-shims/rust/cargo-gotramp.sh --manifest-path PATH/Cargo.toml \
#       --lib NAME --package GOPKG --out DIR [--target linux/amd64]... [-- GOTRAMP_ARGS...]
#
# NAME is the crate's library name (lib<NAME>.a). Without --target the crate
# is built for linux/amd64 and linux/arm64 (rustup target add
# x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu). The crate's Cargo.toml
# should set `crate-type = ["staticlib"]` and, in [profile.release],
# `panic = "abort"` (Go cannot unwind through a trampoline) and `debug = 2`
# (the DWARF frontend reads the signatures from full debug info); this script
# passes both on the command line too. RUSTFLAGS:
#   -C relocation-model=pic     the packer needs PC-relative code (R_X86_64_32S
#                               from non-PIC code is rejected)
#   -C target-feature=+reserve-x28   arm64 only: x28 is Go's g register
#                               (ARCHITECTURE.md fact 6); the packer checks
#                               the packed code never writes it. rustc warns
#                               that the feature is "unknown and unstable" but
#                               passes it to LLVM, which honours it. The
#                               prebuilt core/compiler_builtins are not built
#                               with it: the packer rejects any of their code
#                               the crate reaches that writes x28.
#   -C target-feature=-outline-atomics   arm64 only: atomics inline (LL/SC)
#                               instead of calls to compiler_builtins helpers
#                               that pick LSE through a constructor, and Go
#                               never runs constructors (.init_array).
# rustc already puts every function and object in a section of its own on
# Linux (as clang's -ffunction-sections -fdata-sections), so the packer keeps
# only the code the bound functions reach.
# Each target's rustc flags are appended to RUSTFLAGS from the environment.
# Environment: CARGO, RUSTC, GOTRAMP (default: gotramp on PATH), CARGO_TARGET_DIR,
# CARGO_BUILD_JOBS.
set -eu
manifest= lib= pkg= out= targets=
while [ $# -gt 0 ]; do
	case $1 in
	--manifest-path) manifest=$2; shift 2 ;;
	--lib) lib=$2; shift 2 ;;
	--package) pkg=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--target) targets="$targets $2"; shift 2 ;;
	--) shift; break ;;
	*) echo "cargo-gotramp: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$manifest" ] && [ -n "$lib" ] && [ -n "$pkg" ] && [ -n "$out" ] ||
	{ echo "usage: $0 --manifest-path Cargo.toml --lib NAME --package GOPKG --out DIR [--target linux/ARCH]..." >&2; exit 2; }
[ -n "$targets" ] || targets="linux/amd64 linux/arm64"
CARGO=${CARGO:-cargo}
GOTRAMP=${GOTRAMP:-gotramp}
target_dir=${CARGO_TARGET_DIR:-$(dirname "$manifest")/target}
# rustc records the registry's source paths, which makes the machine code
# depend on where CARGO_HOME is; a fixed prefix keeps the packed .syso
# byte-identical across machines.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
remap="--remap-path-prefix=$cargo_home=/cargo-home"
objects= target_args=
for t in $targets; do
	case $t in
	linux/amd64) triple=x86_64-unknown-linux-gnu; flags="-C relocation-model=pic" ;;
	linux/arm64) triple=aarch64-unknown-linux-gnu
		flags="-C relocation-model=pic -C target-feature=+reserve-x28,-outline-atomics" ;;
	*) echo "cargo-gotramp: unsupported target $t" >&2; exit 2 ;;
	esac
	# The standard library for the target must be installed (a missing one
	# fails later, in the middle of the build, with "can't find crate for core").
	if ! [ -d "$(${RUSTC:-rustc} --print sysroot)/lib/rustlib/$triple/lib" ]; then
		echo "cargo-gotramp: the Rust standard library for $triple ($t) is not installed;" \
			"run: rustup target add $triple (or pass --target for the other targets only)" >&2
		exit 1
	fi
	RUSTFLAGS="${RUSTFLAGS:-} $flags $remap" CARGO_TARGET_DIR="$target_dir" \
		CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_DEBUG=2 \
		"$CARGO" build --release --manifest-path "$manifest" --target "$triple"
	objects="$objects --object $t=$target_dir/$triple/release/lib$lib.a"
	target_args="$target_args --target $t"
done
# No --header: gotramp takes the functions from the staticlib's DWARF.
# shellcheck disable=SC2086
exec "$GOTRAMP" generate --package "$pkg" --out "$out" $objects $target_args "$@"
