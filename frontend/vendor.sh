#!/usr/bin/env bash
# Copy the pinned chart libraries from the npm registry into the package's static files.
# Run after changing package.json; commit the result (the demo and the server need no npm).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent 2>/dev/null || npm install --no-audit --no-fund --silent
out=../src/naravard/presentation/static/presentation/vendor
mkdir -p "$out"
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
   node_modules/vega-embed/build/vega-embed.min.js "$out/"
sed -i '/^\/\/# sourceMappingURL=/d' "$out"/*.min.js  # the maps are not shipped
for pkg in vega vega-lite vega-embed; do
  cp "node_modules/$pkg/LICENSE" "$out/LICENSE.$pkg"
done
node -e 'const l=require("./package-lock.json").packages;
  for (const p of ["vega","vega-lite","vega-embed"]) console.log(p, l["node_modules/"+p].version)' > "$out/VERSIONS"
echo "vendored into $out:" && cat "$out/VERSIONS"
