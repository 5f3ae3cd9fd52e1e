#!/usr/bin/env bash
# CI's container step (.ci/run), before npm test runs the container tests (libs/testcontainers):
#   1. podman, runc and mmdebstrap from Debian's packages, when missing;
#   2. the local base image (tools/container/make-base-image.sh: Debian by mmdebstrap, Node from the
#      npm registry; cached under ~/.cache/feishu-attachments/container);
#   3. the emulator's image from apps/mock-feishu/Containerfile on that base, tagged <image>.
# Needs root, the workspace's `npm ci` done (the image's npm install reads npm's cache), and
# CONTAINERS_CONF naming tools/container/containers.conf (runc; ulimits this machine allows).
#
#   tools/container/prepare-ci.sh <image>
set -euo pipefail
cd "$(dirname "$0")/../.."
image="${1:?usage: tools/container/prepare-ci.sh <image>}"
started=$SECONDS

missing=()
for tool in podman runc mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "container step: installing ${missing[*]} from Debian's packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc mmdebstrap >/dev/null
fi
podman --version >&2
step=$SECONDS

base="$(bash tools/container/make-base-image.sh | tail -n 1)"
echo "container step: base image $base ready in $((SECONDS - step)) s" >&2
step=$SECONDS

node tools/container/build-image.mjs --engine podman --base "$base" --tag "$image" >/dev/null
# Each build leaves nameless images: the build cache (the workspace's npm ci layer among them), and
# about 1 GB a build that no later build uses (its stages' last layers, the image the tag named
# before): a busy day of CI runs here left 17 GB of them. A day of builds is kept. A build that
# took everything from the cache made nothing newer, so pruning by this build's start would take the
# cache too.
podman image prune --force --filter until=24h >/dev/null
echo "container step: $image built in $((SECONDS - step)) s; the whole step took $((SECONDS - started)) s" >&2
podman images --filter "reference=$image" >&2
