#!/usr/bin/env bash
# The static checks `npm test` runs before vitest: formatting (prettier --check), types
# (tsc --noEmit) and layering (dependency-cruiser, `npm run deps`). Each is single-threaded, so
# they run side by side (on two cores: about as long as tsc alone, instead of the sum of the
# three). Each check's output is printed once all have finished, in this order; the script fails
# when any check failed, naming it.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

names=(prettier tsc deps)
commands=(
  "npx prettier --check ."
  "npx tsc --noEmit -p ."
  "npm run --silent deps"
)

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

pids=()
for i in "${!names[@]}"; do
  bash -c "${commands[$i]}" >"$logs/$i.log" 2>&1 &
  pids+=($!)
done

failed=()
for i in "${!names[@]}"; do
  if ! wait "${pids[$i]}"; then failed+=("${names[$i]}"); fi
  cat "$logs/$i.log"
done

if ((${#failed[@]} > 0)); then
  echo "static checks failed: ${failed[*]}" >&2
  exit 1
fi
