#!/usr/bin/env bash
# Copy the compiled NHS.UK frontend from node_modules into static/vendor/nhsuk (not committed).
# Only the CSS, JS, their source maps and the icons: the whole dist/ makes collectstatic slow.
# The compiled CSS points icons at /assets/...; make those paths relative so they work under /static/.
set -euo pipefail
src=node_modules/nhsuk-frontend/dist/nhsuk
dest=static/vendor/nhsuk
rm -rf "$dest" && mkdir -p "$dest"
for f in nhsuk-frontend.min.css nhsuk-frontend.min.css.map nhsuk-frontend.min.js nhsuk-frontend.min.js.map; do
  cp "$src/$f" "$dest/$f"
done
cp -r "$src/assets" "$dest/assets"
sed -i 's#url(/assets/#url(assets/#g' "$dest/nhsuk-frontend.min.css"
