#!/usr/bin/env bash
# Measures `shale serve`: save -> reload event for the sample and a ~5 MB page, and
# requests/s under a bounded loopback load (50 keep-alive connections for 10 s).
# Everything stays on 127.0.0.1 and stops by itself. Options go to the benchmark:
#   bench/serve.sh [--edits N] [--big-mb N] [--connections N] [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shale --example serve_bench
exec target/release/examples/serve_bench --bin target/release/shale "$@"
