#!/usr/bin/env bash
# The local base image CI builds the emulator's image on, where no container registry is reachable
# (docker.io's node image cannot be pulled): a Debian bookworm root filesystem made by mmdebstrap
# from Debian's own mirrors, with Node and npm from the npm registry (the versions pinned in
# tools/container/base/package-lock.json, as tools/node-versions pins its builds), laid out as the
# official node image lays them out (/usr/local/bin/node, npm, npx; a `node` user, uid 1000), so
# apps/mock-feishu/Containerfile builds unchanged on either.
#
#   tools/container/make-base-image.sh        # prints the image's name on its last line
#
# Needs root, podman and mmdebstrap (.ci/run installs them). The root filesystem is cached as a
# tarball under $FEISHU_CONTAINER_CACHE (default ~/.cache/feishu-attachments/container), keyed by
# this script and the lockfile: a run with that tarball only imports it (seconds), a run whose
# podman storage still has the image does nothing at all. `rm -rf` the cache folder to rebuild.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="${CONTAINER_ENGINE:-podman}"
cache_dir="${FEISHU_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/feishu-attachments/container}"

key="$(cat "$here/make-base-image.sh" "$here/base/package-lock.json" | sha256sum | cut -c1-16)"
image="localhost/feishu-attachments/node-base:$key"
tarball="$cache_dir/node-base-$key.tar"

if "$engine" image exists "$image" 2>/dev/null; then
  echo "base image $image: already in $engine's storage" >&2
  echo "$image"
  exit 0
fi

if [ ! -f "$tarball" ]; then
  started=$SECONDS
  # Node and npm from the npm registry (npm's cache keeps them between runs).
  npm ci --prefix "$here/base" --no-audit --no-fund --no-bin-links --loglevel=warn >&2
  export FEISHU_BASE_NODE="$here/base/node_modules/node"
  export FEISHU_BASE_NPM="$here/base/node_modules/npm"
  node_version="$("$FEISHU_BASE_NODE/bin/node" --version)"
  mkdir -p "$cache_dir"
  # Older keys' tarballs are of no further use.
  find "$cache_dir" -maxdepth 1 -name 'node-base-*.tar*' ! -name "node-base-$key.tar" -delete
  partial="$tarball.partial"
  rm -f "$partial"
  # minbase (essential and required packages, apt) with a merged /usr made by mmdebstrap's own hook
  # rather than the usrmerge package (which would bring perl); no documentation, manual pages or
  # translations, as Debian's slim images. The other hooks run on the host with the root
  # filesystem's path in $1. Its chatter goes to a log, shown when it fails.
  log="$cache_dir/mmdebstrap.log"
  if ! mmdebstrap --variant=minbase --format=tar --quiet \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook='mkdir -p "$1/usr/local/bin" "$1/usr/local/lib/node_modules/npm"' \
    --customize-hook='cp "$FEISHU_BASE_NODE/bin/node" "$1/usr/local/bin/node"' \
    --customize-hook='cd "$FEISHU_BASE_NPM" && cp -a package.json index.js bin lib node_modules LICENSE "$1/usr/local/lib/node_modules/npm/"' \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook='chroot "$1" groupadd --gid 1000 node' \
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    --customize-hook='rm -rf "$1/var/lib/apt/lists"/* "$1/var/cache/apt"/*.bin "$1/var/log"/*.log' \
    bookworm "$partial" \
    'deb http://deb.debian.org/debian bookworm main' \
    'deb http://deb.debian.org/debian bookworm-updates main' \
    'deb http://deb.debian.org/debian-security bookworm-security main' >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "mmdebstrap failed (whole log: $log)" >&2
    exit 1
  fi
  mv "$partial" "$tarball"
  echo "base root filesystem (Debian bookworm minbase, Node $node_version) made in $((SECONDS - started)) s: $tarball" >&2
fi

# Base images of older keys are of no further use either (an image built on one keeps its layers).
"$engine" images --format '{{.Repository}}:{{.Tag}}' --filter 'reference=localhost/feishu-attachments/node-base' |
  grep -v ":$key\$" | xargs -r "$engine" rmi >/dev/null 2>&1 || true
"$engine" import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "$tarball" "$image" >/dev/null
echo "base image $image: imported from $tarball" >&2
echo "$image"
