#!/bin/sh
# Builds core as it was at COMMIT (default e2808a3, the last commit before the observer hooks)
# into packages/core/node_modules/.core-NAME/ (default NAME: before), one ESM file, for
# bench:observer's "before" contender. Build HEAD the same way (NAME now) and pass it as
# CORE_NOW, so both sides of the ratio are bundled alike:
#   sh bench/observer/build-core-before.sh && sh bench/observer/build-core-before.sh HEAD now
#   CORE_BEFORE=$PWD/packages/core/node_modules/.core-before/index.js \
#   CORE_NOW=$PWD/packages/core/node_modules/.core-now/index.js pnpm --filter @trax-webhooks/bench bench:observer
# Inside core's node_modules so its own imports (lru-cache) resolve, and out of git and biome.
set -eu
commit=${1:-e2808a3}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$commit" packages/core/src | tar -x -C "$tmp"
out="$root/packages/core/node_modules/.core-${2:-before}"
rm -rf "$out"
cd "$root/packages/core"
npx tsup "$tmp/packages/core/src/index.ts" --no-config --format esm --target node20 --out-dir "$out" >/dev/null
echo '{ "type": "module" }' > "$out/package.json"
echo "core at $commit built into $out"
