import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeOutsideProject } from './outside-project.mjs';
import { SOURCE_CONDITION, packPackages } from './pack-packages.mjs';

const run = promisify(execFile);
const FIXTURES = join(__dirname, 'fixtures');
const RESOLUTIONS = {
  node10: { module: 'commonjs', extensions: ['ts'] },
  node16: { module: 'node16', extensions: ['ts', 'mts'] },
  nodenext: { module: 'nodenext', extensions: ['ts', 'mts'] },
  bundler: { module: 'esnext', extensions: ['ts'] },
} as const;

let root: string;
let project: string;
let tarballs: { client: string; mock: string };
let installOutput: string;

/** Starts `npx mock-feishu` and resolves with its URL once it says where it listens. */
function startCli(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  // Its own process group, so stopping it stops npx and the node process npx started.
  const child = spawn('npx', ['--', 'mock-feishu', ...args], { cwd: project, detached: true });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const url = /mock-feishu listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ url, child });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`mock-feishu exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

function listTarball(tarball: string): Promise<string[]> {
  return run('tar', ['-tzf', tarball]).then(({ stdout }) =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^package\//, '')),
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'feishu-package-check-'));
  const [client, mock] = packPackages(join(root, 'tarballs'));
  tarballs = { client, mock };
  project = join(root, 'outside-user');
  writeOutsideProject(project, [client, mock], ['typescript', '@types/node']);
  // Everything comes from the npm cache the workspace install filled; no install scripts run
  // (none of these packages needs one).
  const install = await run(
    'npm',
    ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    {
      cwd: project,
    },
  );
  installOutput = `${install.stdout}${install.stderr}`;
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the packed packages', () => {
  it('ship their build, OpenAPI documents and README, and none of the workspace files', async () => {
    for (const tarball of [tarballs.client, tarballs.mock]) {
      const files = await listTarball(tarball);
      expect(files).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
      );
      const outside = files.filter(
        (file) => !/^(dist|openapi|jest|vitest)\/|^(package\.json|README\.md)$/.test(file),
      );
      expect(outside).toEqual([]);
      expect(files.filter((file) => /\.spec\./.test(file))).toEqual([]);
      // tsc --build's record of the build stays in the workspace.
      expect(files.filter((file) => file.endsWith('.tsbuildinfo'))).toEqual([]);
    }
    expect(await listTarball(tarballs.mock)).toEqual(
      expect.arrayContaining(['dist/main.js', 'openapi/control-plane.openapi.yaml']),
    );
    expect(await listTarball(tarballs.client)).toEqual(
      expect.arrayContaining(['dist/wire/index.d.ts', 'openapi/feishu-task-attachments.openapi.yaml']),
    );
  });

  it('publish manifests without the workspace source condition, with pinned internal versions', () => {
    const installed = (name: string) =>
      readFileSync(join(project, 'node_modules', '@feishu-attachments', name, 'package.json'), 'utf8');
    for (const name of ['api-client', 'mock-feishu']) {
      expect(installed(name)).not.toContain(SOURCE_CONDITION);
      expect(JSON.parse(installed(name))).not.toHaveProperty('private');
      expect(JSON.parse(installed(name))).not.toHaveProperty('devDependencies');
    }
    const mock = JSON.parse(installed('mock-feishu'));
    expect(mock.dependencies['@feishu-attachments/api-client']).toBe(
      JSON.parse(installed('api-client')).version,
    );
    // yaml is used by the emulator's tests only.
    expect(mock.dependencies).not.toHaveProperty('yaml');
  });
});

describe('an outside project with the tarballs installed', () => {
  it('installs on Node 20 without an engine warning (with the overrides the mock-feishu README gives)', () => {
    expect(installOutput).toMatch(/added \d+ packages/);
    expect(installOutput).not.toContain('EBADENGINE');
  });

  it('prints the emulator version with mock-feishu --version', async () => {
    const { stdout } = await run('npx', ['--', 'mock-feishu', '--version'], { cwd: project });
    expect(stdout.trim()).toBe(
      JSON.parse(readFileSync(join(__dirname, '..', '..', 'apps', 'mock-feishu', 'package.json'), 'utf8'))
        .version,
    );
  });

  it('starts npx mock-feishu --port 0 and uses it from ESM and from CommonJS through the client', async () => {
    copyFileSync(join(FIXTURES, 'client-flow.mjs'), join(project, 'client-flow.mjs'));
    copyFileSync(join(FIXTURES, 'client-flow.cjs'), join(project, 'client-flow.cjs'));
    const { url, child } = await startCli(['--port', '0', '--quiet']);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:3100$/);
      const esm = await run('node', ['client-flow.mjs', url], { cwd: project });
      expect(JSON.parse(esm.stdout)).toEqual({ listed: ['esm.txt'], text: 'hello from esm', max: 5 });
      const cjs = await run('node', ['client-flow.cjs', url], { cwd: project });
      expect(JSON.parse(cjs.stdout)).toEqual({ listed: ['cjs.txt'], text: 'hello from cjs', max: 5 });
    } finally {
      await stop(child);
    }
  });

  describe('types under each moduleResolution', () => {
    let errors: string;

    // One `tsc --build` over a config per resolution, each with its own copy of the fixture so an
    // error names the resolution it came from: one process parses Node's and the packages'
    // declarations once instead of four times.
    beforeAll(async () => {
      const source = readFileSync(join(FIXTURES, 'types-check.ts'), 'utf8');
      const configs = Object.entries(RESOLUTIONS).map(([moduleResolution, { module, extensions }]) => {
        const files = extensions.map((extension) => `types-check.${moduleResolution}.${extension}`);
        for (const file of files) writeFileSync(join(project, file), source);
        const tsconfig = `tsconfig.${moduleResolution}.json`;
        writeFileSync(
          join(project, tsconfig),
          JSON.stringify({
            compilerOptions: {
              module,
              moduleResolution,
              target: 'es2022',
              strict: true,
              noEmit: true,
              skipLibCheck: true,
              types: ['node'],
            },
            files,
          }),
        );
        return tsconfig;
      });
      errors = await run('node', ['node_modules/typescript/bin/tsc', '--build', ...configs], {
        cwd: project,
      }).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      );
    }, 120_000);

    it.each(Object.keys(RESOLUTIONS))(
      'resolves the types of both packages under moduleResolution %s',
      (resolution) => {
        expect(errors.split('\n').filter((line) => line.includes(`types-check.${resolution}.`))).toEqual([]);
        // An error outside the fixtures (a broken config, a missing package) fails every resolution.
        expect(
          errors.split('\n').filter((line) => /error TS/.test(line) && !line.includes('types-check.')),
        ).toEqual([]);
      },
    );
  });
});
