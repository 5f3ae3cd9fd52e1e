#!/usr/bin/env node
// The build stage of apps/mock-feishu/Containerfile, after the workspace's `npm ci`: builds the
// three publishable packages with their own build commands (read from each project.json, so this
// never drifts from `nx run <project>:build`; Nx itself would need every project's configuration
// in the build context), packs them as `npm run pack:packages` does, and installs the packed
// tarballs with their production dependencies only into <app dir>, at the versions and integrity
// the workspace lockfile pins (tools/package-check/outside-project.mjs), from npm's cache when it
// has them. The optional peers (better-sqlite3, Pact) stay out: the image's Node has node:sqlite.
//
//   node tools/container/build-app.mjs /app
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { writeOutsideProject } from '../package-check/outside-project.mjs';
import { WORKSPACE_ROOT, packPackage } from '../package-check/pack-packages.mjs';

/** What the image installs: the emulator and the two packages it depends on, in dependency order. */
const IMAGE_PACKAGES = ['libs/api-client', 'libs/multipart-intake', 'apps/mock-feishu'];

const appDir = resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: node tools/container/build-app.mjs <app dir>');
  process.exit(2);
}

const env = {
  ...process.env,
  PATH: `${join(WORKSPACE_ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
};
for (const dir of IMAGE_PACKAGES) {
  const project = JSON.parse(readFileSync(join(WORKSPACE_ROOT, dir, 'project.json'), 'utf8'));
  const { command, cwd } = project.targets.build.options;
  const where = join(
    WORKSPACE_ROOT,
    (cwd ?? '{workspaceRoot}').replace('{projectRoot}', dir).replace('{workspaceRoot}', ''),
  );
  console.log(`${project.name}: ${command}`);
  execFileSync('sh', ['-c', command], { cwd: where, env, stdio: 'inherit' });
}

const packed = mkdtempSync(join(tmpdir(), 'mock-feishu-image-'));
try {
  const tarballs = IMAGE_PACKAGES.map((dir) => packPackage(dir, packed));
  writeOutsideProject(appDir, tarballs, [], { optionalPeers: false });
  execFileSync(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=warn',
    ],
    { cwd: appDir, stdio: 'inherit' },
  );
} finally {
  rmSync(packed, { recursive: true, force: true });
}

// What nothing reads at run time, about half of the installed bytes: type declarations, source
// maps (Node reads them only with --enable-source-maps) and documentation; never a licence, nor
// the inspector page's files (its maps are served with it).
const UNUSED = /\.(d\.[cm]?ts|map|md|markdown)$/i;
const KEPT = /^(licen[cs]e|notice|copying)/i;
let removed = 0;
for (const entry of readdirSync(join(appDir, 'node_modules'), { recursive: true, withFileTypes: true })) {
  if (entry.parentPath.endsWith('/dist/ui')) continue;
  if (entry.isFile() && UNUSED.test(entry.name) && !KEPT.test(entry.name)) {
    rmSync(join(entry.parentPath, entry.name));
    removed++;
  }
}
console.log(`removed ${removed} declaration, source map and documentation files from ${appDir}/node_modules`);
