#!/usr/bin/env bash
# Instructions per delivery of core's receive() (or the limit's: RECEIVER=limit; SCHEME=github for
# the GitHub-style pair), counted by
# valgrind's callgrind: the same count whatever else the machine is doing, so it can compare
# two builds on a busy 2-core machine where CPU time cannot. The marginal count between two
# runs (LOW and HIGH deliveries) leaves out Node's start-up and the JIT's warm-up.
#   bench/pipeline/instructions.sh [LOW=5000] [HIGH=15000]
set -euo pipefail
cd "$(dirname "$0")/.."
low=${1:-5000}
high=${2:-15000}
count() {
  COUNT=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null node pipeline/profile-receive.mjs 2>&1 |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}
a=$(count "$low") && b=$(count "$high")
echo "${RECEIVER:-ours}: $(( (b - a) / (high - low) )) instructions per delivery (marginal, $low → $high)"
