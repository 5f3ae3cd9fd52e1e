import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, blocksOf } from './code-blocks';
import { outsideProjects, OUTSIDE_PROJECTS_ENV } from './outside-projects';
import { SOURCE_CONDITION } from './pack-packages.mjs';
import { writeSandboxSuite } from './fixtures/sandbox-suite.mjs';

const run = promisify(execFile);
const FIXTURES = join(__dirname, 'fixtures');
const MOCK_README = 'apps/mock-feishu/README.md';
const THIS_SPEC = relative(ROOT, __filename);
const SUITE_TIMEOUT_MS = 60_000;
const RESOLUTIONS = {
  node10: { module: 'commonjs', extensions: ['ts'] },
  node16: { module: 'node16', extensions: ['ts', 'mts'] },
  nodenext: { module: 'nodenext', extensions: ['ts', 'mts'] },
  bundler: { module: 'esnext', extensions: ['ts'] },
} as const;

let project: string;
let tarballs: { client: string; intake: string; mock: string };
let packOutput: string;
let installOutput: string;

/**
 * The environment of a process a user starts in the outside project: none of this run's own (the
 * emulator that this package check's Jest global setup published, Jest's worker variables), so a
 * runner that fails to start its emulator cannot borrow ours.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(MOCK_FEISHU_|JEST_|NODE_OPTIONS$|NODE_ENV$|VITEST|FORCE_COLOR$)/.test(name)) delete env[name];
  }
  delete env[OUTSIDE_PROJECTS_ENV];
  // The runners' summaries are read as text: Nx sets FORCE_COLOR for its tasks, and colour codes
  // would sit between the words.
  return { ...env, NO_COLOR: '1' };
}

/** Runs a test runner in the outside project as its user would; a failure shows all it printed. */
function runUserCommand(file: string, args: string[], folder: string, env: NodeJS.ProcessEnv = {}) {
  return run(file, args, { cwd: join(project, folder), env: { ...userEnv(), ...env } }).catch(
    (error: { message: string; stdout?: string; stderr?: string }) => {
      throw new Error(`${error.message}\n--- stdout\n${error.stdout}\n--- stderr\n${error.stderr}`);
    },
  );
}

/**
 * The mock-feishu README's runnable examples under `heading`, written as they stand into `folder` of
 * the outside project, each under the file name its first line gives (`// jest.config.js`).
 */
function writeReadmeExamples(heading: RegExp, folder: string): string[] {
  const dir = join(project, folder);
  mkdirSync(dir, { recursive: true });
  return blocksOf(MOCK_README)
    .filter((block) => block.marker?.kind === 'run-by' && block.marker.value === THIS_SPEC)
    .filter((block) => heading.test(block.heading))
    .map((block) => {
      const name = /^\/\/ (\S+)/.exec(block.code)?.[1];
      if (!name) throw new Error(`${MOCK_README}:${block.line}: the example's first line names no file`);
      writeFileSync(join(dir, name), `${block.code}\n`);
      return name;
    });
}

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

beforeAll(() => {
  // Packed by the command behind `npm run pack:packages` (after its build), as the READMEs tell
  // users to run it, and installed from the npm cache: once per run, in the Jest global setup.
  ({ packOutput, tarballs, installOutput, user: project } = outsideProjects());
});

describe('the packed packages', () => {
  it('ship their build, OpenAPI documents and README, and none of the workspace files', async () => {
    for (const tarball of [tarballs.client, tarballs.intake, tarballs.mock]) {
      const files = await listTarball(tarball);
      expect(files).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
      );
      const outside = files.filter(
        (file) => !/^(dist|openapi|jest|vitest|node-test)\/|^(package\.json|README\.md)$/.test(file),
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
    expect(await listTarball(tarballs.intake)).toEqual(expect.arrayContaining(['dist/cjs/index.cjs']));
  });

  it('publish manifests without the workspace source condition, with pinned internal versions', () => {
    const installed = (name: string) =>
      readFileSync(join(project, 'node_modules', '@feishu-attachments', name, 'package.json'), 'utf8');
    for (const name of ['api-client', 'multipart-intake', 'mock-feishu']) {
      expect(installed(name)).not.toContain(SOURCE_CONDITION);
      expect(JSON.parse(installed(name))).not.toHaveProperty('private');
      expect(JSON.parse(installed(name))).not.toHaveProperty('devDependencies');
    }
    const mock = JSON.parse(installed('mock-feishu'));
    expect(mock.dependencies['@feishu-attachments/api-client']).toBe(
      JSON.parse(installed('api-client')).version,
    );
    expect(mock.dependencies['@feishu-attachments/multipart-intake']).toBe(
      JSON.parse(installed('multipart-intake')).version,
    );
    // The intake is the emulator's only way to busboy; it names no framework.
    expect(mock.dependencies).not.toHaveProperty('@fastify/busboy');
    expect(mock.dependencies).not.toHaveProperty('busboy');
    expect(Object.keys(JSON.parse(installed('multipart-intake')).dependencies)).toEqual(['@fastify/busboy']);
    // yaml is used by the emulator's tests only.
    expect(mock.dependencies).not.toHaveProperty('yaml');
  });

  it('are packed by one command that prints one install line for all three, the emulator last', () => {
    // The emulator's tarball alone fails (E404: its client and intake versions are on no registry
    // yet); their tarballs in the same install satisfy it, as the mock-feishu README says.
    const lines = packOutput.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `npm install --save-dev ${tarballs.client} ${tarballs.intake} ${tarballs.mock}`,
    );
    expect(lines.filter((line) => line.startsWith('npm install'))).toHaveLength(1);
  });
});

describe("the client's CommonJS build", () => {
  const entries = ['@feishu-attachments/api-client', '@feishu-attachments/api-client/wire'];

  it('is what require() gets: ky bundled in, nothing outside Node required at run time', async () => {
    const program = `console.log(JSON.stringify(${JSON.stringify(entries)}.map((entry) => require.resolve(entry))))`;
    const { stdout } = await run(process.execPath, ['-e', program], { cwd: project });
    const [client, wire] = JSON.parse(stdout) as string[];
    expect(client).toMatch(/api-client\/dist\/cjs\/index\.cjs$/);
    expect(wire).toMatch(/api-client\/dist\/cjs\/wire\.cjs$/);
    for (const file of [client, wire]) {
      const requires = [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map(
        ([, name]) => name,
      );
      expect(requires.filter((name) => !name.startsWith('node:'))).toEqual([]);
    }
    const ky = JSON.parse(readFileSync(join(project, 'node_modules', 'ky', 'package.json'), 'utf8')).version;
    expect(readFileSync(client, 'utf8')).toContain(`Includes ky ${ky} `);
  });

  it('exports what the ES module entry exports', async () => {
    // import() takes the `default` condition (tsc's output, loading ky from node_modules).
    const program = `
      const entries = ${JSON.stringify(entries)};
      Promise.all(entries.map((entry) => import(entry))).then((esm) => console.log(JSON.stringify(entries.map((entry, i) => ({
        required: Object.keys(require(entry)).sort(),
        imported: Object.keys(esm[i]).filter((name) => !['default', 'module.exports', '__esModule'].includes(name)).sort(),
      })))));`;
    const { stdout } = await run(process.execPath, ['-e', program], { cwd: project });
    for (const { required, imported } of JSON.parse(stdout) as { required: string[]; imported: string[] }[]) {
      expect(required).toEqual(imported);
      expect(required.length).toBeGreaterThan(5);
    }
  });
});

describe("the multipart intake's CommonJS build", () => {
  const entry = '@feishu-attachments/multipart-intake';

  it("is what require() gets (the emulator's CommonJS build loads it so): its own code, busboy from node_modules", async () => {
    const { stdout } = await run(process.execPath, ['-p', `require.resolve(${JSON.stringify(entry)})`], {
      cwd: project,
    });
    const file = stdout.trim();
    expect(file).toMatch(/multipart-intake\/dist\/cjs\/index\.cjs$/);
    const requires = [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map(
      ([, name]) => name,
    );
    expect(requires.filter((name) => !name.startsWith('node:'))).toEqual(['@fastify/busboy']);
  });

  it('exports what the ES module entry exports', async () => {
    const program = `
      import(${JSON.stringify(entry)}).then((esm) => console.log(JSON.stringify({
        required: Object.keys(require(${JSON.stringify(entry)})).sort(),
        imported: Object.keys(esm).filter((name) => !['default', 'module.exports', '__esModule'].includes(name)).sort(),
      })));`;
    const { stdout } = await run(process.execPath, ['-e', program], { cwd: project });
    const { required, imported } = JSON.parse(stdout) as { required: string[]; imported: string[] };
    expect(required).toEqual(imported);
    expect(required).toEqual(
      expect.arrayContaining(['receiveMultipart', 'MultipartRefusal', 'closeAfterAnswer']),
    );
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

  describe('test runners set up as the mock-feishu README shows, with their own defaults', () => {
    it('Jest (CommonJS, no transform): global setup, per-file reset, and a test that requires the client', async () => {
      expect(writeReadmeExamples(/^Jest$/, 'jest')).toEqual(['jest.config.js', 'attachments.test.js']);
      // Nothing but the three entries: no transform, preset or ESM flag (and no Babel config in the project).
      const { stdout: keys } = await run(
        process.execPath,
        ['-p', "JSON.stringify(Object.keys(require('./jest.config.js')))"],
        { cwd: join(project, 'jest') },
      );
      expect(JSON.parse(keys)).toEqual(['globalSetup', 'globalTeardown', 'setupFilesAfterEnv']);
      expect(
        ['babel.config.js', '.babelrc', '.swcrc'].filter((file) => existsSync(join(project, file))),
      ).toEqual([]);
      const { stderr } = await runUserCommand(
        join(project, 'node_modules', '.bin', 'jest'),
        ['--ci'],
        'jest',
      );
      expect(stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    });

    it('Vitest: global setup, and a test that imports the client and injects the URL', async () => {
      expect(writeReadmeExamples(/^Vitest$/, 'vitest')).toEqual(['vitest.config.ts', 'attachments.test.ts']);
      const { stdout } = await runUserCommand(
        join(project, 'node_modules', '.bin', 'vitest'),
        ['run'],
        'vitest',
        {
          NO_COLOR: '1',
        },
      );
      expect(stdout).toMatch(/Tests\s+1 passed \(1\)/);
    });

    it("Node's test runner: useMockFeishuSandbox() in a test file run by node --test (and with the global setup on Node 24+)", async () => {
      expect(writeReadmeExamples(/^Node's test runner/, 'node-test')).toEqual(['attachments.test.mjs']);
      const { stdout } = await runUserCommand(process.execPath, ['--test'], 'node-test');
      // Node 20 and 22 print TAP when piped (`# pass 1`), Node 24 and later their spec reporter (`ℹ pass 1`).
      expect(stdout).toMatch(/^[#ℹ] pass 1$/m);
      expect(stdout).toMatch(/^[#ℹ] fail 0$/m);
      // The run's one emulator, from the path the README gives (Node's flag takes a path, not a package).
      if (Number(process.versions.node.split('.')[0]) >= 24) {
        const globalSetup = 'node_modules/@feishu-attachments/mock-feishu/node-test/global-setup.js';
        const { stdout: shared } = await runUserCommand(
          process.execPath,
          ['--test', `--test-global-setup=../${globalSetup}`],
          'node-test',
        );
        expect(shared).toMatch(/^ℹ pass 1$/m);
      }
    });
  });

  // The same suite runs 10 times per runner in the bench (`sandboxes`), with its wall time
  // against --runInBand; here once each, so a leak between sandboxes fails the test run. Here the
  // suite shares the machine with the rest of npm test, where a file's dozen calls took over the
  // runners' 5 s default on a busy machine: a generous limit, so only a wrong answer fails it.
  describe('a suite of 8 files in 4 parallel workers, each freezing, faulting and resetting its own sandbox', () => {
    it('Jest workers', async () => {
      expect(
        writeSandboxSuite(join(project, 'sandbox-jest'), { runner: 'jest', timeoutMs: SUITE_TIMEOUT_MS }),
      ).toHaveLength(8);
      const { stderr } = await runUserCommand(
        join(project, 'node_modules', '.bin', 'jest'),
        ['--ci'],
        'sandbox-jest',
      );
      expect(stderr).toMatch(/Tests:\s+8 passed, 8 total/);
    });

    it('Vitest threads', async () => {
      expect(
        writeSandboxSuite(join(project, 'sandbox-vitest'), { runner: 'vitest', timeoutMs: SUITE_TIMEOUT_MS }),
      ).toHaveLength(8);
      const { stdout } = await runUserCommand(
        join(project, 'node_modules', '.bin', 'vitest'),
        ['run'],
        'sandbox-vitest',
      );
      expect(stdout).toMatch(/Tests\s+8 passed \(8\)/);
    });
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
              // Every declaration file the entries reach is checked, as in a strict project.
              skipLibCheck: false,
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

    it("reach none of the emulator's Nest internals, nor Nest's, Express's, Multer's or zod's declarations", async () => {
      // Under nodenext; the four resolutions reach the same declaration files.
      const { stdout } = await run(
        'node',
        ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.nodenext.json', '--listFilesOnly'],
        { cwd: project },
      );
      const files = stdout.split('\n').filter(Boolean);
      expect(
        files.filter((file) => file.includes('/mock-feishu/dist/test-runners/node-test.d.ts')),
      ).toHaveLength(1);
      expect(
        files.filter((file) =>
          // zod's own declarations fail a strict compile without esModuleInterop (TS1259 in its locales).
          /\/node_modules\/(@nestjs|express|@types\/express|multer|@types\/multer|zod)\//.test(file),
        ),
      ).toEqual([]);
      // The public types name interfaces of types-only modules, never a Nest provider: a provider's
      // declaration names its constructor's services, and through them Express's types (TS7016
      // without @types/express, which the package does not install).
      const internals =
        /\.(service|controller|module|repository|store|guard|middleware|filter|interceptor|seeder)\.d\.ts$|\/(gateway|store)\//;
      expect(
        files.filter(
          (file) => file.includes('/@feishu-attachments/mock-feishu/dist/') && internals.test(file),
        ),
      ).toEqual([]);
    });
  });
});
