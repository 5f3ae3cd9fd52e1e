// 9. Outside install (issue 23): the packed packages, the client, the multipart intake and the
// emulator, installed into a fresh project outside the workspace, the way tools/package-check does it: `npm ci` from a
// lockfile of the workspace's own versions, every registry tarball already in the npm cache (warm,
// no network), the tarballs from disk. Timed from npm's start to its exit. Two sides: npm's
// defaults, which run dependencies' install scripts (while better-sqlite3 is a dependency, its
// native build: its prebuilt binary comes from outside the registry, so here it compiles, about
// 100 s on 2 cores), and --ignore-scripts (what is left without such a build). The smoke run does
// the second only, once, and packs and installs the client alone: the same steps on a tree of two
// packages instead of the emulator's few hundred (the package check installs all three every run).
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeOutsideProject } from '../../package-check/outside-project.mjs';
import { packPackage, packPackages } from '../../package-check/pack-packages.mjs';
import { alternate, row, target } from '../lib/rounds.mjs';

const run = promisify(execFile);
const DEFAULTS = 'npm defaults';
const NO_SCRIPTS = '--ignore-scripts';
const TARGET_SECONDS = 30;

/** Installs into a new project folder; returns the seconds npm took and how many packages it added. */
async function install(work, tarballs, round, ignoreScripts) {
  const project = join(work, `outside-${round}-${ignoreScripts ? 'no-scripts' : 'defaults'}`);
  writeOutsideProject(project, tarballs);
  const args = [
    'ci',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    ...(ignoreScripts ? ['--ignore-scripts'] : []),
  ];
  try {
    const started = performance.now();
    await run('npm', args, { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    const packages = readdirSync(join(project, 'node_modules')).filter(
      (name) => !name.startsWith('.'),
    ).length;
    return { seconds, packages };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

export default {
  name: 'outside-install',
  title: 'Outside install: the packed packages into a fresh project',
  async run({ work, rounds, smoke, log }) {
    const tarballs = smoke
      ? [packPackage('libs/api-client', join(work, 'tarballs'))]
      : packPackages(join(work, 'tarballs'));
    const sides = smoke ? [{ name: NO_SCRIPTS }] : [{ name: DEFAULTS }, { name: NO_SCRIPTS }];
    const topLevel = {};
    const values = await alternate({
      sides,
      rounds,
      log,
      label: 'install ',
      measure: async (side, round) => {
        const { seconds, packages } = await install(work, tarballs, round, side.name === NO_SCRIPTS);
        topLevel[side.name] = packages;
        return seconds;
      },
    });
    const installRow = row('npm ci, warm cache', 's', values);
    const defaults = installRow.sides.find((side) => side.name === DEFAULTS)?.median ?? NaN;
    const show = (s) => (Number.isFinite(s) ? `${s.toFixed(1)} s` : 'n/a');
    return {
      rows: [installRow],
      targets: [
        target(
          `Outside install ≤ ${TARGET_SECONDS} s (warm cache)`,
          defaults,
          '<=',
          TARGET_SECONDS,
          show,
          DEFAULTS,
        ),
      ],
      notes: [
        `Rounds per side: ${rounds}, alternated; a new project folder each time. Top-level entries in node_modules: ` +
          Object.entries(topLevel)
            .map(([side, count]) => `${side} ${count}`)
            .join(', ') +
          '.',
        'A user installing with the printed `npm install <client>.tgz <intake>.tgz <emulator>.tgz` line also has npm resolve versions ' +
          "from the registry's metadata; where better-sqlite3's prebuilt binary can be downloaded, it is not compiled.",
      ],
    };
  },
};
