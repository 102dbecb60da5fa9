#!/usr/bin/env bash
# Copy the pinned chart libraries and the API documentation's viewer (swagger-ui) from the npm
# registry into the package's static files, so that no page loads anything from another origin.
# Run after changing package.json; commit the result (the demo and the server need no npm).
# vega-embed's build already holds vega-interpreter (charts.js passes ast: true: no eval).
set -euo pipefail
cd "$(dirname "$0")"
# --ignore-scripts: nothing is built here, and swagger-ui-dist's @scarf/scarf would report home
npm ci --ignore-scripts --no-audit --no-fund --silent 2>/dev/null ||
  npm install --ignore-scripts --no-audit --no-fund --silent
out=../src/naravard/presentation/static/presentation/vendor
mkdir -p "$out"
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
   node_modules/vega-embed/build/vega-embed.min.js "$out/"
swagger=node_modules/swagger-ui-dist
cp "$swagger/swagger-ui-bundle.js" "$swagger/swagger-ui-bundle.js.LICENSE.txt" \
   "$swagger/swagger-ui.css" "$out/"
sed -i '/^\/\/# sourceMappingURL=/d' "$out"/*.js  # the maps are not shipped
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$out"/*.css
for pkg in vega vega-lite vega-embed swagger-ui-dist; do
  cp "node_modules/$pkg/LICENSE" "$out/LICENSE.$pkg"
done
cp "$swagger/NOTICE" "$out/NOTICE.swagger-ui-dist"
node -e 'const l=require("./package-lock.json").packages;
  for (const p of ["vega","vega-lite","vega-embed","swagger-ui-dist"])
    console.log(p, l["node_modules/"+p].version)' > "$out/VERSIONS"
echo "vendored into $out:" && cat "$out/VERSIONS"
