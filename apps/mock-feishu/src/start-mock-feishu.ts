import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { MockFeishuModule } from './app.module.js';
import { openStore } from './adapters/open-store.js';
import { sandboxStores } from './adapters/sandbox-stores.adapter.js';
import { FsBlobStore } from './adapters/files/fs-blob.store.js';
import { Sandbox } from './core/sandboxes/sandbox.js';
import { DEFAULT_SANDBOX_ID } from './core/sandboxes/sandbox-id.js';
import { SandboxRegistry } from './core/sandboxes/sandbox-registry.js';
import type { MockFeishuSandbox, NewSandboxOptions } from './sandbox-handle.js';
import { sandboxHandle } from './sandbox-handle.factory.js';
// The public face of the seeder: the class's declaration names every service, which users'
// type checks must not have to load.
import type { MockFeishuSeeder as SeederApi, ResetOptions } from './core/control-plane/seeder.api.js';
import { expressErrorHandler } from './http/errors/feishu-error.filter.js';
import { gatewayMiddleware } from './http/gateway/gateway.middleware.js';
import { applyServerLimits } from './http/gateway/http-server.limits.js';
import { withLastResort } from './http/gateway/last-resort.handler.js';
import { controlBodyGuard, crossSiteGuard } from './http/gateway/cross-site.guard.js';
import { HEALTH_PATH, healthRoute } from './http/gateway/health.route.js';
import { requestBodyMiddleware } from './http/gateway/request-body.middleware.js';
import { controlAccessMiddleware, INSPECTOR_PREFIX } from './http/gateway/control-access.middleware.js';
import { sandboxScopeMiddleware } from './http/gateway/sandbox-scope.middleware.js';
import { inspectorAssets } from './http/inspector/inspector.assets.js';
import { MockFeishuSettings, type MockFeishuOptions } from './config/mock-feishu.settings.js';

export interface StartMockFeishuOptions extends MockFeishuOptions {
  /**
   * State applied at start and again after every reset (users, tasks, attachments). With a data
   * dir, at start only when the store is empty, so a restart does not seed it twice.
   */
  seed?: (seeder: SeederApi) => void | Promise<void>;
  /** Where request lines go when `logRequests` is on. @default console.log */
  log?: (line: string) => void;
}

export interface RunningMockFeishu {
  /** Base URL of the emulated API, e.g. `http://127.0.0.1:3100`. */
  url: string;
  /** Base URL that download URLs use. */
  publicUrl: string;
  /** The inspector page (`<url>/__mock/ui/`); undefined with the control plane off. */
  inspectorUrl?: string;
  port: number;
  /** The address the server is bound to, as `server.address()` reports it (e.g. `0.0.0.0`, `::1`). */
  boundAddress: { address: string; family: string; port: number };
  /**
   * The token every `/__mock` route needs (`Authorization: Bearer <token>`): the one given, or the
   * one generated because the emulator listens beyond loopback; undefined when the control plane
   * is open (loopback without a token) or off.
   */
  controlToken?: string;
  /** The emulator's clock: advance it instead of sleeping. */
  clock: {
    now(): number;
    advance(ms: number): number;
    set(epochMs: number): number;
    /** Stops time (`true`) or lets it run on (`false`). */
    freeze(frozen: boolean): number;
  };
  /** Puts state in directly, the same way `/__mock` does. */
  seeder: SeederApi;
  /** The default app's credentials. */
  app: { appId: string; appSecret: string };
  /** Where state lives: `memory`, or `sqlite` in the data dir; `fresh` if it was empty at start. */
  store: {
    kind: 'memory' | 'sqlite';
    fresh: boolean;
    dataDir?: string;
    /** The folder of attachment bytes: `<dataDir>/blobs`, or the temporary one removed on close. */
    blobDir?: string;
    /** Resolves once leftovers of a crash are removed from the data dir, with how many files. */
    swept: Promise<number>;
  };
  reset(options?: ResetOptions): Promise<void>;
  /**
   * Isolated Feishu tenants in this emulator, each with its own app, state, clock, faults and
   * journal; what the methods above steer is the default sandbox.
   */
  sandboxes: {
    create(options?: NewSandboxOptions): Promise<MockFeishuSandbox>;
    get(id: string): MockFeishuSandbox | undefined;
    list(): MockFeishuSandbox[];
    /** False when there was no such sandbox (or it is the default one, which cannot go). */
    delete(id: string): Promise<boolean>;
  };
  /** Writes the whole state to one snapshot file (see `--import`); needs a data dir. */
  exportSnapshot(file: string): Promise<{ attachments: number; bytes: number }>;
  close(): Promise<void>;
}

/**
 * Starts an emulator in this process. `port: 0` picks a free port, so parallel test files each
 * get their own emulator.
 *
 * @example
 * const feishu = await startMockFeishu({ port: 0 });
 * // … point a client at feishu.url …
 * await feishu.close();
 */
export async function startMockFeishu(options: StartMockFeishuOptions = {}): Promise<RunningMockFeishu> {
  const settings = new MockFeishuSettings(options);
  const store = await openStore(settings);
  // One secret for every sandbox: page tokens outlive a restart when the default store keeps it.
  const pageTokenSecret =
    settings.pageTokenSecret ?? store.pageTokenSecret ?? randomBytes(32).toString('hex');
  const defaultSandbox = new Sandbox(
    {
      id: DEFAULT_SANDBOX_ID,
      createdAt: Date.now(),
      app: { appId: settings.appId, appSecret: settings.appSecret },
    },
    store,
    settings,
    pageTokenSecret,
  );
  const sandboxes = new SandboxRegistry(
    defaultSandbox,
    sandboxStores(settings),
    settings,
    pageTokenSecret,
    options.seed,
  );
  const { clock, seeder } = defaultSandbox;

  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      MockFeishuModule.forRoot({ settings, sandboxes }),
      new ExpressAdapter(caseSensitiveExpress()),
      {
        bodyParser: false,
        logger: ['error', 'warn'],
        forceCloseConnections: true,
      },
    );
  } catch (error) {
    await store.close();
    throw error;
  }
  const log = settings.logRequests ? (options.log ?? ((line: string) => console.log(line))) : undefined;
  const server = app.getHttpServer() as Server;
  applyServerLimits(server, settings, clock);
  // Express's own final handler answers HTML with a stack trace; this one answers Feishu's shape.
  const expressApp = app.getHttpAdapter().getInstance() as Express;
  server.removeAllListeners('request');
  server.on('request', withLastResort(expressApp as unknown as Parameters<typeof withLastResort>[0]));
  // First of all: a probe is neither journaled nor logged, and needs no control token.
  expressApp.get(HEALTH_PATH, healthRoute(clock));
  // Ahead of body parsing, so even a malformed body gets a log id, a journal entry and Feishu's error shape.
  app.use(gatewayMiddleware(expressApp, sandboxes, log));
  app.use(crossSiteGuard(settings));
  app.use(controlAccessMiddleware(settings));
  if (settings.controlPlane) app.use(sandboxScopeMiddleware(sandboxes));
  if (settings.controlPlane) app.use(controlBodyGuard());
  if (settings.controlPlane) app.use(INSPECTOR_PREFIX, inspectorAssets());
  app.use(requestBodyMiddleware(settings.idleBodyTimeoutMs));
  app.use(expressErrorHandler);
  app.disable('x-powered-by');
  // Feishu is not known to send ETags; Express would add one to every JSON answer.
  app.set('etag', false);

  try {
    // A durable store seeds its default state once, into an empty store, not on every start.
    await defaultSandbox.open(options.seed);
    await sandboxes.restore();
    await app.listen(settings.port, settings.host);
  } catch (error) {
    await app.close();
    await sandboxes.closeAll();
    throw error;
  }
  // After listening: checking 100 000 blob files takes about a second, and needs no waiting for.
  const swept = (store.sweep ? store.sweep() : Promise.resolve(0)).catch((error: Error) => {
    console.error(`mock-feishu: start-up sweep failed: ${error.message}`);
    return 0;
  });
  const bound = server.address() as AddressInfo;
  const { port } = bound;
  const url = `http://${hostForUrl(settings.host)}:${port}`;
  if (!settings.publicUrl) settings.publicUrl = url;

  let closed = false;
  return {
    url,
    publicUrl: settings.publicUrl,
    inspectorUrl: settings.controlPlane ? `${url}${INSPECTOR_PREFIX}/` : undefined,
    port,
    boundAddress: { address: bound.address, family: bound.family, port },
    controlToken: settings.controlPlane ? settings.controlToken : undefined,
    clock: {
      now: () => clock.now(),
      advance: (ms) => clock.advance(ms),
      set: (epochMs) => clock.set(epochMs),
      freeze: (frozen) => clock.freeze(frozen),
    },
    seeder,
    app: { appId: settings.appId, appSecret: settings.appSecret },
    store: {
      kind: store.kind,
      fresh: store.fresh,
      dataDir: settings.dataDir,
      blobDir: store.blobs instanceof FsBlobStore ? store.blobs.directory : undefined,
      swept,
    },
    reset: (resetOptions) => seeder.reset(resetOptions),
    sandboxes: {
      create: async (sandboxOptions = {}) =>
        sandboxHandle(await sandboxes.create(sandboxOptions), url, sandboxes),
      get: (id) => {
        const sandbox = sandboxes.get(id);
        return sandbox && sandboxHandle(sandbox, url, sandboxes);
      },
      list: () => sandboxes.list().map((sandbox) => sandboxHandle(sandbox, url, sandboxes)),
      delete: (id) => sandboxes.delete(id),
    },
    exportSnapshot: async (file) => {
      if (!store.exportSnapshot) throw new Error('exportSnapshot needs a data dir (the durable store)');
      return store.exportSnapshot(file);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await sandboxes.closeAll();
    },
  };
}

/**
 * Feishu documents its paths in lower case only, and Express would route `/__MOCK/state` as
 * `/__mock/state`: the router takes only the documented spelling (docs/fidelity.md, assumed).
 */
function caseSensitiveExpress(): Express {
  const instance = express();
  instance.set('case sensitive routing', true);
  return instance;
}

/** A host a client on this machine can use: the wildcard addresses are reached through loopback. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
