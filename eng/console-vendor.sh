#!/usr/bin/env bash
# Copies the browser files of the console's pinned npm packages (src/Doppel.Server/Console/package-lock.json) into
# src/Doppel.Server/Console/wwwroot/vendor/, which is checked in: the build and the server need no Node and no network.
# Run it after changing a version in package.json (`npm install` there first, to update the lockfile).
#   eng/console-vendor.sh          installs the pinned packages (npm ci) and refreshes wwwroot/vendor/
#   eng/console-vendor.sh --check  installs them and fails when wwwroot/vendor/ differs from them (eng/test.sh runs this)
set -euo pipefail
cd "$(dirname "$0")/../src/Doppel.Server/Console"

mode=${1:-copy}
case "$mode" in
  copy | --check) ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

npm ci --no-audit --no-fund --loglevel=error

# What the console loads (the import map in wwwroot/index.html names these) and each package's licence.
files=(
  "preact/dist/preact.mjs:preact/preact.mjs"
  "preact/hooks/dist/hooks.mjs:preact/hooks.mjs"
  "preact/LICENSE:preact/LICENSE"
  "htm/dist/htm.mjs:htm/htm.mjs"
  "htm/LICENSE:htm/LICENSE"
  "uplot/dist/uPlot.esm.js:uplot/uPlot.esm.js"
  "uplot/dist/uPlot.min.css:uplot/uPlot.min.css"
  "uplot/LICENSE:uplot/LICENSE"
  "cytoscape/dist/cytoscape.esm.min.mjs:cytoscape/cytoscape.esm.min.mjs"
  "cytoscape/LICENSE:cytoscape/LICENSE"
)

expected=$(mktemp -d)
trap 'rm -rf "$expected"' EXIT
for pair in "${files[@]}"; do
  from="node_modules/${pair%%:*}"
  to="$expected/${pair#*:}"
  mkdir -p "$(dirname "$to")"
  cp "$from" "$to"
done

if [ "$mode" = --check ]; then
  if ! diff -r "$expected" wwwroot/vendor >/dev/null; then
    echo "src/Doppel.Server/Console/wwwroot/vendor/ differs from the packages pinned in package-lock.json:" >&2
    diff -rq "$expected" wwwroot/vendor >&2 || true
    echo "run eng/console-vendor.sh and commit the result" >&2
    exit 1
  fi
  echo "console vendor files match package-lock.json"
else
  rm -rf wwwroot/vendor
  mkdir -p wwwroot
  cp -r "$expected" wwwroot/vendor
  chmod -R u+rwX,go+rX wwwroot/vendor
  echo "copied ${#files[@]} files into src/Doppel.Server/Console/wwwroot/vendor/"
fi
