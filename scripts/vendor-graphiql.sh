#!/usr/bin/env bash
# Vendors the GraphiQL page's scripts and styles into cdp/http/graphiql/static, so the
# server never loads them from a CDN (an offline network shows a blank page).
# Re-run after changing a version below; needs npm (the registry's tarballs are
# checked against their published integrity by npm itself). The files are committed.
set -euo pipefail
cd "$(dirname "$0")/.."

GRAPHIQL=3.8.3
REACT=18.2.0
EXPLORER=1.0.2
out=cdp/http/graphiql/static
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for spec in "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" "@graphiql/plugin-explorer@$EXPLORER"; do
  tarball=$(cd "$work" && npm pack --silent "$spec" | tail -1)
  name=${tarball%.tgz}
  mkdir -p "$work/$name"
  tar -xzf "$work/$tarball" -C "$work/$name"
done

rm -rf "$out"
mkdir -p "$out"
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.js" "$out/graphiql.min.js"
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.css" "$out/graphiql.min.css"
cp "$work/graphiql-$GRAPHIQL/package/LICENSE" "$out/LICENSE.graphiql"
cp "$work/react-$REACT/package/umd/react.production.min.js" "$out/react.production.min.js"
cp "$work/react-$REACT/package/LICENSE" "$out/LICENSE.react"
cp "$work/react-dom-$REACT/package/umd/react-dom.production.min.js" "$out/react-dom.production.min.js"
cp "$work/graphiql-plugin-explorer-$EXPLORER/package/dist/index.umd.js" "$out/plugin-explorer.umd.js"
cp "$work/graphiql-plugin-explorer-$EXPLORER/package/dist/style.css" "$out/plugin-explorer.css"
cp "$work/graphiql-plugin-explorer-$EXPLORER/package/LICENSE" "$out/LICENSE.plugin-explorer" 2>/dev/null \
  || cp "$work/graphiql-$GRAPHIQL/package/LICENSE" "$out/LICENSE.plugin-explorer"
# The versions, for the page and for reviewers.
printf 'graphiql %s\nreact %s\nreact-dom %s\n@graphiql/plugin-explorer %s\n' \
  "$GRAPHIQL" "$REACT" "$REACT" "$EXPLORER" > "$out/VERSIONS"
(cd "$out" && sha256sum -- * > ../SHA256SUMS)
echo "vendored into $out:"
ls -l "$out"
