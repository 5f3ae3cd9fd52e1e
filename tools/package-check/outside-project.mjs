// A fresh project outside the workspace that depends on the packed tarballs, with a lockfile
// made from the workspace's own. Why a lockfile: the workspace lock has no `resolved` URLs, and
// `npm ci` does not leave every packument in the npm cache, so a plain `npm install` of the
// tarballs would ask the registry for manifests. With every entry pinned to the exact version
// and integrity the workspace installed, `npm ci --prefer-offline` takes all of it from the cache
// and needs no network. (@npmcli/arborist could build the tree too, but it resolves through the
// registry's packuments, which is what must be avoided here.)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { WORKSPACE_ROOT } from './pack-packages.mjs';

const DROPPED_FLAGS = ['dev', 'devOptional', 'peer'];

function tarballManifest(tarball) {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/** Where Node would find `name` from the package installed at `from` (a lockfile key). */
function resolveIn(lock, from, name) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock[key]) return key;
    if (!dir) return undefined;
  }
}

/**
 * Writes package.json and package-lock.json into `dir`: the tarballs (found in the workspace
 * under their package names) plus `extra` workspace dependencies such as typescript. With
 * `optionalPeers: false`, optional peer dependencies (better-sqlite3, Pact) stay out, as for the
 * emulator's container image.
 */
export function writeOutsideProject(
  dir,
  tarballs,
  extra = [],
  { optionalPeers: withOptionalPeers = true } = {},
) {
  const workspaceLock = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package-lock.json'), 'utf8')).packages;
  const packages = {};
  const rootDeps = {};
  const queue = [];

  for (const tarball of tarballs) {
    const manifest = tarballManifest(tarball);
    const key = `node_modules/${manifest.name}`;
    const workspaceKey = workspaceLock[key]?.resolved ?? key;
    rootDeps[manifest.name] = `file:${relative(dir, tarball)}`;
    packages[key] = {
      version: manifest.version,
      resolved: `file:${relative(dir, tarball)}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    };
    // Its dependencies are found where the workspace found them for the linked package.
    queue.push({ key, workspaceKey, manifest });
  }
  for (const name of extra) {
    const key = resolveIn(workspaceLock, '', name);
    if (!key) throw new Error(`${name} is not installed in the workspace`);
    rootDeps[name] = workspaceLock[key].version;
    queue.push({ key, workspaceKey: key, manifest: workspaceLock[key] });
  }

  while (queue.length > 0) {
    const { key, workspaceKey, manifest } = queue.shift();
    if (!packages[key]) {
      const entry = { ...workspaceLock[workspaceKey] };
      for (const flag of DROPPED_FLAGS) delete entry[flag];
      packages[key] = entry;
    }
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const edges = [
      ...Object.keys(manifest.dependencies ?? {}).map((name) => [name, false]),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => [name, true]),
      ...Object.keys(manifest.peerDependencies ?? {})
        .filter((name) => withOptionalPeers || !optionalPeers[name]?.optional)
        .map((name) => [name, !!optionalPeers[name]?.optional]),
    ];
    for (const [name, optional] of edges) {
      const found = resolveIn(workspaceLock, workspaceKey, name);
      if (!found) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${workspaceKey}) is not in the workspace lockfile`);
      }
      // Same position relative to the package as in the workspace; linked packages' own
      // node_modules move under their installed folder.
      const nested = found.startsWith(`${workspaceKey}/node_modules/`);
      const target = nested ? `${key}${found.slice(workspaceKey.length)}` : found;
      if (!packages[target]) queue.push({ key: target, workspaceKey: found, manifest: workspaceLock[found] });
    }
  }

  // The workspace's overrides too (file-type for @nestjs/common, so that Node 20 installs warn-free),
  // as a user's project on Node 20 would set them (see the mock-feishu README).
  const { overrides } = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8'));
  const manifest = {
    name: basename(dir),
    version: '1.0.0',
    private: true,
    dependencies: rootDeps,
    overrides,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: manifest.name, version: manifest.version, dependencies: rootDeps }, ...packages },
  };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
}
