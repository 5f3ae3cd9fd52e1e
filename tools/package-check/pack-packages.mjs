#!/usr/bin/env node
// Packs the publishable packages as an outside user would receive them. Each package is staged in
// a temporary folder first, because the published manifest differs from the workspace one: the
// `@feishu-attachments/source` export condition (which points the workspace's TypeScript and Jest
// at ./src) is removed, and so are devDependencies. Packing from a copy leaves the workspace's
// package.json untouched, so tasks running at the same time never see a half-rewritten manifest.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SOURCE_CONDITION = '@feishu-attachments/source';
/**
 * The packages meant for other repositories, in dependency order: the client, the multipart intake
 * (the emulator's upload parsing, shared with admin-api), the emulator.
 */
export const PUBLISHABLE = ['libs/api-client', 'libs/multipart-intake', 'apps/mock-feishu'];

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `exports` without the workspace-only condition, at any depth. */
function withoutSourceCondition(exports) {
  if (typeof exports !== 'object' || exports === null) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

export function publishedManifest(manifest) {
  const published = { ...manifest, exports: withoutSourceCondition(manifest.exports) };
  delete published.devDependencies;
  delete published.scripts;
  return published;
}

/**
 * Packs package directories into `outDir` and returns the tarballs' paths, in the same order. One
 * npm run lists the files of them all and one packs them all: each npm run costs about half a
 * second of CPU before it does anything.
 */
export function packPackageDirs(packageDirs, outDir) {
  const sources = packageDirs.map((dir) => resolve(WORKSPACE_ROOT, dir));
  // npm's own reading of `files` decides what is copied, so each staged copy holds exactly what
  // `npm pack` in the package folder would ship.
  const listed = JSON.parse(
    npm(['pack', '--dry-run', '--json', '--ignore-scripts', ...sources], WORKSPACE_ROOT),
  );
  const stages = [];
  try {
    sources.forEach((source, index) => {
      const stage = mkdtempSync(join(tmpdir(), 'feishu-pack-'));
      stages.push(stage);
      for (const { path } of listed[index].files) {
        mkdirSync(dirname(join(stage, path)), { recursive: true });
        cpSync(join(source, path), join(stage, path));
      }
      const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
      writeFileSync(join(stage, 'package.json'), `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
    });
    mkdirSync(outDir, { recursive: true });
    const packed = JSON.parse(
      npm(
        ['pack', '--json', '--ignore-scripts', '--pack-destination', resolve(outDir), ...stages],
        stages[0],
      ),
    );
    return packed.map(({ filename }) => join(resolve(outDir), filename));
  } finally {
    for (const stage of stages) rmSync(stage, { recursive: true, force: true });
  }
}

/** Packs one package directory into `outDir` and returns the tarball's path. */
export function packPackage(packageDir, outDir) {
  return packPackageDirs([packageDir], outDir)[0];
}

export function packPackages(outDir) {
  return packPackageDirs(PUBLISHABLE, outDir);
}

/** A POSIX shell word for `text`: as is when it is plain, else single-quoted. */
const shellWord = (text) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);

/**
 * The one command that installs the packed packages into a project. One command, because the
 * emulator depends on the client and the intake by their exact versions, which npm finds among the
 * tarballs of the same install (and nowhere else until they are published): the emulator's tarball
 * alone fails with E404 for @feishu-attachments/api-client.
 */
export function installCommand(tarballs) {
  return `npm install --save-dev ${tarballs.map(shellWord).join(' ')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(WORKSPACE_ROOT, 'dist', 'packages'));
  const tarballs = packPackages(outDir);
  for (const tarball of tarballs) console.log(tarball);
  console.log(
    `\nInstall them into your project with one command (the emulator needs this client and intake):\n\n${installCommand(tarballs)}`,
  );
}
