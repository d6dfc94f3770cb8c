#!/usr/bin/env bash
# Builds shale's release binary for one target and prints its path, relative to the
# repository's root unless CARGO_TARGET_DIR is absolute (cargo's own output goes to
# stderr). The release workflow runs it on each platform's runner, the Dockerfile runs it
# in its build stage, and tests/suite/release.rs runs it for the host.
#
#   scripts/release/build.sh TARGET      e.g. x86_64-unknown-linux-gnu
#
# Linux and Windows binaries link the C runtime statically (`crt-static`): the Linux one
# runs on any distribution (and in an empty container), the Windows one needs no Visual
# C++ runtime. macOS binaries link only the system's libraries, as all macOS programs do.
# Oniguruma (C, via syntect) is compiled with the platform's C compiler: gcc or clang on
# Linux and macOS, MSVC on Windows. The profile is Cargo.toml's `release`, with symbols
# stripped; Cargo.lock is used as it is (`--locked`).
set -euo pipefail

target="${1:-}"
if [ -z "$target" ] || [ "$#" -ne 1 ]; then
  echo "usage: scripts/release/build.sh TARGET   (e.g. x86_64-unknown-linux-gnu)" >&2
  exit 2
fi
case "$target" in
  *-unknown-linux-gnu | *-pc-windows-msvc)
    export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+crt-static" ;;
  *-apple-darwin) ;;
  *)
    echo "error: scripts/release/build.sh: no release build for target '$target': use *-unknown-linux-gnu, *-apple-darwin or *-pc-windows-msvc" >&2
    exit 2 ;;
esac

cd "$(dirname "$0")/../.."
export CARGO_PROFILE_RELEASE_STRIP=symbols
cargo build --locked --release --target "$target" --bin shale >&2

exe=shale
case "$target" in *-windows-*) exe=shale.exe ;; esac
echo "${CARGO_TARGET_DIR:-target}/$target/release/$exe"
