import { randomBytes } from 'node:crypto';
import {
  AbstractStartedContainer,
  GenericContainer,
  RandomPortGenerator,
  Wait,
  getContainerPort,
  getContainerRuntimeClient,
  type StartedTestContainer,
} from 'testcontainers';
import { MockFeishuControlPlane } from './control-plane.js';

/** The port the emulator listens on inside its image (`MOCK_FEISHU_PORT`). */
export const MOCK_FEISHU_PORT = 3100;
/** The line the emulator prints once it accepts connections: the wait strategy's signal. */
export const MOCK_FEISHU_READY_LOG = /mock-feishu listening on /;
/** The seeded app unless {@link MockFeishuContainer.withApp} names another. */
export const DEFAULT_APP_ID = 'cli_mock_app';
export const DEFAULT_APP_SECRET = 'mock_app_secret';

/** Binding a chosen free port can lose a race against another process: tried this many times. */
const PORT_ATTEMPTS = 3;

/**
 * The emulator's container image under Testcontainers:
 *
 * ```ts
 * const feishu = await new MockFeishuContainer('localhost/mock-feishu:latest').start();
 * feishu.getBaseUrl(); // http://127.0.0.1:<port>: the SDK's `domain`, the client's `baseUrl`
 * await feishu.clock.advance(180_000);
 * ```
 *
 * It waits for the emulator's "listening" log line (no port probe), gives the control plane a
 * random token through `MOCK_FEISHU_CONTROL_TOKEN` unless {@link withControlToken} names one, and
 * points download URLs (`MOCK_FEISHU_PUBLIC_URL`) at the address the test reaches it by: a free
 * port of this machine bound to the emulator's, unless {@link withPublicUrl} names the URL (for
 * callers in other containers of a network, say) and the port is left to the runtime.
 */
export class MockFeishuContainer extends GenericContainer {
  private controlToken?: string;
  private publicUrl?: string;
  private appId = DEFAULT_APP_ID;
  private appSecret = DEFAULT_APP_SECRET;

  constructor(image: string) {
    super(image);
    this.withExposedPorts(MOCK_FEISHU_PORT)
      .withWaitStrategy(Wait.forLogMessage(MOCK_FEISHU_READY_LOG))
      .withStartupTimeout(120_000);
  }

  /** The control token `/__mock` requires (default: random, 32 bytes). */
  withControlToken(token: string): this {
    this.controlToken = token;
    return this;
  }

  /** Where download URLs point; by default `http://<host>:<the bound port>`. */
  withPublicUrl(url: string): this {
    this.publicUrl = url.replace(/\/+$/, '');
    return this;
  }

  /** Another seeded app than `cli_mock_app` / `mock_app_secret`. */
  withApp(appId: string, appSecret: string): this {
    this.appId = appId;
    this.appSecret = appSecret;
    return this.withEnvironment({ MOCK_FEISHU_APP_ID: appId, MOCK_FEISHU_APP_SECRET: appSecret });
  }

  /** Feishu's per-API rate limits, on by default. */
  withRateLimits(enabled: boolean): this {
    return this.withEnvironment({ MOCK_FEISHU_RATE_LIMITS: String(enabled) });
  }

  /** State in memory instead of SQLite in the image's `/data` volume. */
  withInMemoryState(): this {
    return this.withEnvironment({ MOCK_FEISHU_DATA_DIR: '' });
  }

  override async start(): Promise<StartedMockFeishuContainer> {
    const controlToken = this.controlToken ?? randomBytes(32).toString('base64url');
    this.withEnvironment({ MOCK_FEISHU_CONTROL_TOKEN: controlToken });
    const details = { controlToken, appId: this.appId, appSecret: this.appSecret };
    if (this.publicUrl !== undefined) {
      this.withEnvironment({ MOCK_FEISHU_PUBLIC_URL: this.publicUrl });
      return new StartedMockFeishuContainer(await super.start(), { ...details, publicUrl: this.publicUrl });
    }
    // Download URLs are made inside the container, so the host port they name must be known
    // before it starts: a free port of this machine, bound to the emulator's.
    const { host } = (await getContainerRuntimeClient()).info.containerRuntime;
    for (let attempt = 1; ; attempt++) {
      const hostPort = await new RandomPortGenerator().generatePort();
      const publicUrl = `http://${host.includes(':') ? `[${host}]` : host}:${hostPort}`;
      // withExposedPorts sets the binding for the port (replacing the constructor's "any port");
      // the list keeps one entry for it.
      this.exposedPorts = this.exposedPorts.filter((port) => getContainerPort(port) !== MOCK_FEISHU_PORT);
      this.withExposedPorts({ container: MOCK_FEISHU_PORT, host: hostPort });
      this.withEnvironment({ MOCK_FEISHU_PUBLIC_URL: publicUrl });
      try {
        return new StartedMockFeishuContainer(await super.start(), { ...details, publicUrl });
      } catch (error) {
        const taken = /address already in use|port is already allocated/i.test(String(error));
        if (!taken || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  }
}

/** A running emulator container: its URLs, credentials and control plane. */
export class StartedMockFeishuContainer extends AbstractStartedContainer {
  /** `/__mock`: reset, clock, faults, seeding, journal, state. */
  readonly control: MockFeishuControlPlane;
  /** Shortcuts into {@link control}. */
  readonly clock: MockFeishuControlPlane['clock'];
  readonly faults: MockFeishuControlPlane['faults'];
  readonly seed: MockFeishuControlPlane['seed'];

  constructor(
    started: StartedTestContainer,
    private readonly details: { controlToken: string; publicUrl: string; appId: string; appSecret: string },
  ) {
    super(started);
    this.control = new MockFeishuControlPlane(this.getBaseUrl(), details.controlToken);
    this.clock = this.control.clock;
    this.faults = this.control.faults;
    this.seed = this.control.seed;
  }

  /** `http://<host>:<mapped port>`: the official SDK's `domain`, the client's `baseUrl`. */
  getBaseUrl(): string {
    const host = this.getHost();
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.getMappedPort(MOCK_FEISHU_PORT)}`;
  }

  /** Where the emulator's download URLs point. */
  getPublicUrl(): string {
    return this.details.publicUrl;
  }

  /** The token `/__mock` requires (`Authorization: Bearer …`; the inspector takes it as `?token=`). */
  getControlToken(): string {
    return this.details.controlToken;
  }

  /** The seeded app, whose tenant token every Feishu client gets first. */
  getAppCredentials(): { appId: string; appSecret: string } {
    return { appId: this.details.appId, appSecret: this.details.appSecret };
  }

  /** Back to the seeded state, e.g. in `beforeEach`. */
  reset(options: { keepTokens?: boolean } = {}) {
    return this.control.reset(options);
  }
}
