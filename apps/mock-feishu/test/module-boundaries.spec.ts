import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const nxBin = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

/**
 * Nx's boundary rule reads the project graph that nx caches in .nx/workspace-data and skips itself
 * when there is none, which is the case for a plain `jest` run on a fresh clone. Under `nx run`
 * the graph is already cached (NX_TASK_TARGET_PROJECT is set); otherwise `nx show projects`
 * computes and caches it, without a daemon, so the rule has a graph to check against.
 */
async function ensureProjectGraph(): Promise<void> {
  if (process.env.NX_TASK_TARGET_PROJECT) return;
  await run(process.execPath, [nxBin, 'show', 'projects'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}

/** A snippet to lint as if it were the file at `filePath` in the workspace. */
interface Probe {
  source: string;
  filePath: string;
}

// One ESLint process lints every probe of this file with the real config (loading ESLint, its
// TypeScript parser and the Nx plugin costs seconds of CPU; a process per probe paid it five times).
// It runs outside Jest because the config is an ES module, which Jest's CommonJS runtime cannot import.
const LINT_PROBES = `
import { ESLint } from 'eslint';
const probes = JSON.parse(await new Response(process.stdin).text());
const eslint = new ESLint({ cwd: process.cwd() });
const stylish = await eslint.loadFormatter('stylish');
const results = [];
for (const { source, filePath } of probes) {
  const linted = await eslint.lintText(source, { filePath });
  results.push({ ok: linted.every((r) => r.errorCount === 0), output: await stylish.format(linted) });
}
process.stdout.write(JSON.stringify(results));
`;

async function lintAll(probes: Probe[]): Promise<{ ok: boolean; output: string }[]> {
  const child = run(process.execPath, ['--input-type=module', '-e', LINT_PROBES], { cwd: root });
  child.child.stdin?.end(JSON.stringify(probes));
  return JSON.parse((await child).stdout);
}

const PROBES = {
  clientEntry: {
    source: "import * as client from '@feishu-attachments/api-client';\nexport const x = client;\n",
    filePath: 'apps/mock-feishu/src/probe.ts',
  },
  deepPath: {
    source: "import * as errors from '../../../libs/api-client/src/core/errors';\nexport const x = errors;\n",
    filePath: 'apps/mock-feishu/src/probe.ts',
  },
  wireFace: {
    source:
      "import { MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client/wire';\nexport const x = MAX_FILES_PER_UPLOAD;\n",
    filePath: 'apps/mock-feishu/src/probe.ts',
  },
  coreOnHttp: {
    source:
      "import { FEISHU_OPERATIONS } from '../../http/gateway/feishu-operation.decorator.js';\nexport const x = FEISHU_OPERATIONS;\n",
    filePath: 'apps/mock-feishu/src/core/tasks/probe.ts',
  },
  coreOnAdapter: {
    source:
      "import { InMemoryTaskRepository } from '../../adapters/memory/in-memory-task.repository.js';\nexport const x = InMemoryTaskRepository;\n",
    filePath: 'apps/mock-feishu/src/core/tasks/probe.ts',
  },
  adapterOnHttp: {
    source: "import { ok } from '../../http/presenters/envelope.js';\nexport const x = ok;\n",
    filePath: 'apps/mock-feishu/src/adapters/sqlite/probe.ts',
  },
  httpOnAdapter: {
    source:
      "import { openDatabase } from '../../adapters/sqlite/sqlite-database.js';\nexport const x = openDatabase;\n",
    filePath: 'apps/mock-feishu/src/http/control-plane/probe.ts',
  },
  httpOnCore: {
    source:
      "import { TasksService } from '../../core/tasks/tasks.service.js';\nexport const x = TasksService;\n",
    filePath: 'apps/mock-feishu/src/http/tasks/probe.ts',
  },
  httpOnRepository: {
    source:
      "import { TaskRepository } from '../../core/tasks/task.repository.js';\nexport const x = TaskRepository;\n",
    filePath: 'apps/mock-feishu/src/http/inspector/probe.ts',
  },
  httpOnStore: {
    source:
      "import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';\nexport type X = MockFeishuStore;\n",
    filePath: 'apps/mock-feishu/src/http/control-plane/probe.ts',
  },
  httpOnSnapshotExport: {
    source:
      "import { SnapshotExport } from '../../core/store/snapshot-export.js';\nexport const x = SnapshotExport;\n",
    filePath: 'apps/mock-feishu/src/http/control-plane/probe.ts',
  },
  coreOnExpress: {
    source: "import type { Request } from 'express';\nexport type X = Request;\n",
    filePath: 'apps/mock-feishu/src/core/control-plane/probe.ts',
  },
  coreOnPlatformExpress: {
    source:
      "import type { NestExpressApplication } from '@nestjs/platform-express';\nexport type X = NestExpressApplication;\n",
    filePath: 'apps/mock-feishu/src/core/control-plane/probe.ts',
  },
  coreOnNodeHttp: {
    source: "import type { ServerResponse } from 'node:http';\nexport type X = ServerResponse;\n",
    filePath: 'apps/mock-feishu/src/core/control-plane/probe.ts',
  },
  coreOnExpressGlobal: {
    source: 'export type X = Express.Multer.File;\n',
    filePath: 'apps/mock-feishu/src/core/control-plane/probe.ts',
  },
  coreOnNest: {
    source: "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    filePath: 'apps/mock-feishu/src/core/control-plane/probe.ts',
  },
  adapterOnNest: {
    source: "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    filePath: 'apps/mock-feishu/src/adapters/memory/probe.ts',
  },
  adapterOnCore: {
    source:
      "import { TaskRepository } from '../../core/tasks/task.repository.js';\nexport const x = TaskRepository;\n",
    filePath: 'apps/mock-feishu/src/adapters/memory/probe.ts',
  },
  coreOnEmulator: {
    source:
      "import { startMockFeishu } from '@feishu-attachments/mock-feishu';\nexport const x = startMockFeishu;\n",
    filePath: 'libs/api-client/src/probe.spec.ts',
  },
  e2eOnEmulator: {
    source:
      "import { startMockFeishu } from '@feishu-attachments/mock-feishu';\nexport const x = startMockFeishu;\n",
    filePath: 'apps/api-client-e2e/test/probe.spec.ts',
  },
} satisfies Record<string, Probe>;

let linted: Record<keyof typeof PROBES, { ok: boolean; output: string }>;

beforeAll(async () => {
  await ensureProjectGraph();
  const names = Object.keys(PROBES) as (keyof typeof PROBES)[];
  const results = await lintAll(names.map((name) => PROBES[name]));
  linted = Object.fromEntries(names.map((name, index) => [name, results[index]])) as typeof linted;
}, 60_000);

describe('module boundaries of mock-feishu/src', () => {
  it('rejects an import of the HTTP client entry of the shared core', () => {
    const result = linted.clientEntry;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('may import only @feishu-attachments/api-client/wire');
  });

  it('rejects a deep import that bypasses the wire face', () => {
    const result = linted.deepPath;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('not by path');
  });

  it('accepts the wire face', () => {
    const result = linted.wireFace;
    expect(result).toEqual({ ok: true, output: '' });
  });
});

describe('layers of mock-feishu/src: http → core ← adapters', () => {
  it('rejects a core file importing the HTTP layer', () => {
    const result = linted.coreOnHttp;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('the core must not import the HTTP layer');
  });

  it('rejects a core file importing an adapter', () => {
    const result = linted.coreOnAdapter;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('the core must not import an adapter');
  });

  it('rejects an adapter importing the HTTP layer', () => {
    const result = linted.adapterOnHttp;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('adapters must not import the HTTP layer');
  });

  it('rejects the HTTP layer reaching an adapter past the core', () => {
    const result = linted.httpOnAdapter;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('HTTP reaches storage only through the core');
  });

  it('rejects the HTTP layer reading a store port instead of a use case', () => {
    const result = linted.httpOnRepository;
    expect(result.ok).toBe(false);
    expect(result.output).toContain("HTTP reaches state through the core's use cases");
  });

  it('rejects the HTTP layer reaching the store composition', () => {
    const result = linted.httpOnStore;
    expect(result.ok).toBe(false);
    expect(result.output).toContain("HTTP reaches state through the core's use cases");
  });

  it('rejects a core file importing an HTTP framework or server module', () => {
    for (const result of [linted.coreOnExpress, linted.coreOnPlatformExpress, linted.coreOnNodeHttp]) {
      expect(result.ok).toBe(false);
      expect(result.output).toContain('the core knows no HTTP framework');
    }
  });

  it("rejects a core file naming Express's global types", () => {
    const result = linted.coreOnExpressGlobal;
    expect(result.ok).toBe(false);
    expect(result.output).toContain('the core knows no HTTP framework');
  });

  it('rejects Nest in the core and in adapters: each sandbox builds its own use cases and stores', () => {
    expect(linted.coreOnNest.ok).toBe(false);
    expect(linted.coreOnNest.output).toContain('the core knows no HTTP framework');
    expect(linted.adapterOnNest.ok).toBe(false);
    expect(linted.adapterOnNest.output).toContain('adapters are plain classes');
  });

  it('accepts the snapshot use case in the HTTP layer', () => {
    expect(linted.httpOnSnapshotExport).toEqual({ ok: true, output: '' });
  });

  it('accepts the HTTP layer on the core and an adapter on the core', () => {
    expect(linted.httpOnCore).toEqual({ ok: true, output: '' });
    expect(linted.adapterOnCore).toEqual({ ok: true, output: '' });
  });
});

describe('Nx module boundaries', () => {
  it('rejects the shared core depending on the emulator, even from a test file', () => {
    const result = linted.coreOnEmulator;
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Circular dependency between "api-client" and "mock-feishu"/);
  });

  it('lets an e2e project start the emulator', () => {
    const result = linted.e2eOnEmulator;
    expect(result).toEqual({ ok: true, output: '' });
  });
});
