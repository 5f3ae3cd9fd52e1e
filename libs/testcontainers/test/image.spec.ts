import { randomBytes } from 'node:crypto';
import {
  RUN_LABEL_KEY,
  containerTarget,
  engineCli,
  followUntil,
  skipNote,
  type EngineName,
} from './support/container-engine';
import { freePort, sdkAttachmentFlow, sdkClient } from './support/emulator-calls';

/** Failure guard for a container to print its banner; it takes about a second. */
const READY_TIMEOUT_MS = 90_000;
/** What `stop` may wait before it kills: far more than a clean stop takes, so exit code 0 proves it was clean. */
const STOP_TIMEOUT_S = 60;

const target = containerTarget();
const describeWithEngine = target ? describe : describe.skip;

/**
 * The emulator's image as the `podman run` / `docker run` lines of README.md and docs/container.md start it: published on a
 * loopback port of the host, a named volume on /data, the public URL set to that port; the tests
 * reach it from the host as a user's tests would (the official SDK, fetch).
 */
describeWithEngine(`the emulator's image, run from the host${skipNote()}`, () => {
  const { engine, image, runLabel } =
    target ?? ({} as { engine: EngineName; image: string; runLabel: string });
  const id = randomBytes(4).toString('hex');
  const volume = `feishu-test-${runLabel}-${id}`;
  const names: string[] = [];
  let port: number;
  let baseUrl: string;
  let banner: string;
  let controlToken: string;

  const cli = (args: string[], env?: NodeJS.ProcessEnv) => engineCli(engine, args, env);
  const logsOf = async (name: string) => {
    // The emulator logs to stdout, the engine adds its own lines to stderr: both are wanted.
    return cli(['logs', name]).then(
      (stdout) => stdout,
      () => '',
    );
  };

  /** Starts a container of the image; `env` names variables passed through from this process (never on the command line). */
  async function runContainer(env: Record<string, string> = {}): Promise<string> {
    const name = `feishu-test-${runLabel}-${id}-${names.length}`;
    names.push(name);
    await cli(
      [
        'run',
        '--detach',
        '--name',
        name,
        '--label',
        `${RUN_LABEL_KEY}=${runLabel}`,
        '--publish',
        `127.0.0.1:${port}:3100`,
        '--volume',
        `${volume}:/data`,
        '--env',
        `MOCK_FEISHU_PUBLIC_URL=${baseUrl}`,
        ...Object.keys(env).flatMap((variable) => ['--env', variable]),
        image,
      ],
      env,
    );
    return name;
  }

  /** The banner of the `nth` start of `name` (1-based), once printed: read from the followed log. */
  async function bannerOf(name: string, nth = 1): Promise<string> {
    const startsIn = (logs: string) =>
      logs
        .split(/(?=mock-feishu listening on )/)
        .filter((part) => part.startsWith('mock-feishu listening on '));
    const complete = (logs: string) => {
      const starts = startsIn(logs);
      return starts.length >= nth && /Press Ctrl\+C to stop\./.test(starts[nth - 1]);
    };
    const logs = await followUntil(engine, ['logs', '--follow', name], complete, READY_TIMEOUT_MS);
    return startsIn(logs)[nth - 1];
  }

  const inspect = async (name: string, format: string) =>
    (await cli(['inspect', '--format', format, name])).trim();

  beforeAll(async () => {
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    await cli(['volume', 'create', '--label', `${RUN_LABEL_KEY}=${runLabel}`, volume]);
    const name = await runContainer();
    banner = await bannerOf(name);
    controlToken = /^\s*control token (\S+)\s*$/m.exec(banner)?.[1] ?? '';
  });

  afterAll(async () => {
    if (names.length) await cli(['rm', '--force', '--volumes', ...names]).catch(() => undefined);
    await cli(['volume', 'rm', '--force', volume]).catch(() => undefined);
  });

  it('listens on 0.0.0.0 inside, prints a generated control token, and points download URLs at the public URL', () => {
    expect(banner).toContain('mock-feishu listening on http://0.0.0.0:3100');
    expect(banner).toContain(`download URLs point at ${baseUrl}`);
    expect(banner).toContain('state kept in /data (new)');
    expect(controlToken).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses the control plane from the host without the token (401), and answers with it', async () => {
    const without = await fetch(`${baseUrl}/__mock/state`);
    const wrong = await fetch(`${baseUrl}/__mock/reset`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token' },
    });
    const withToken = await fetch(`${baseUrl}/__mock/state`, {
      headers: { authorization: `Bearer ${controlToken}` },
    });

    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ code: 99991661 });
    expect(wrong.status).toBe(401);
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toHaveProperty('tasks');
  });

  it('runs as uid 1000, not root, and passes its HEALTHCHECK on /healthz', async () => {
    const [name] = names;
    expect((await cli(['exec', name, 'id', '-u'])).trim()).toBe('1000');
    expect(await inspect(name, '{{.Config.User}}')).toBe('1000:1000');
    if (engine === 'podman') {
      // podman runs health checks from systemd timers, which a machine without systemd lacks: this
      // runs the image's HEALTHCHECK now (exit 0 only when it passes) and records its result.
      await cli(['healthcheck', 'run', name]);
    } else {
      // Docker's daemon runs it on its interval: wait for its event, replayed from the start.
      const startedAt = await inspect(name, '{{.State.StartedAt}}');
      await followUntil(
        engine,
        ['events', '--since', startedAt, '--filter', `container=${name}`, '--filter', 'event=health_status'],
        (events) => /health_status: healthy/.test(events),
        READY_TIMEOUT_MS,
      );
    }
    expect(await inspect(name, '{{.State.Health.Status}}')).toBe('healthy');
  });

  it("answers the official SDK's upload, list, get and download from the host, the URL on the public URL", async () => {
    const content = Buffer.from('from the host \u0000\u00ff');

    const flow = await sdkAttachmentFlow(sdkClient(baseUrl), { name: 'report.bin', content });

    expect(flow.created.code).toBe(0);
    expect(flow.uploaded?.items?.[0]).toMatchObject({ name: 'report.bin', size: content.length });
    expect(flow.listed.data?.items?.map((item) => item.name)).toEqual(['report.bin']);
    expect(flow.got.data?.attachment).toMatchObject({ name: 'report.bin', size: content.length });
    expect(flow.url.startsWith(`${baseUrl}/`)).toBe(true);
    expect(flow.downloadStatus).toBe(200);
    expect(flow.downloaded.equals(content)).toBe(true);
  });

  it('stops at once on SIGTERM (exit 0), and keeps its state across a restart and into a new container on the volume', async () => {
    const [first] = names;
    const client = sdkClient(baseUrl);
    const kept = Buffer.from('kept across restarts');
    const { taskGuid } = await sdkAttachmentFlow(client, { name: 'kept.txt', content: kept });

    // A clean stop: the emulator handles SIGTERM, so stop returns long before it would kill.
    await cli(['stop', '--time', String(STOP_TIMEOUT_S), first]);
    expect(await inspect(first, '{{.State.ExitCode}}')).toBe('0');
    expect(await logsOf(first)).toContain('mock-feishu: SIGTERM, stopping');

    await cli(['start', first]);
    const restarted = await bannerOf(first, 2);
    expect(restarted).toContain('state kept in /data (restored)');
    const listedAfterRestart = await client.task.v2.attachment.list({
      params: { resource_type: 'task', resource_id: taskGuid },
    });
    expect(listedAfterRestart.data?.items?.map((item) => item.name)).toEqual(['kept.txt']);

    // The volume, not the container, holds the state: a new container on it, its control token
    // passed through the environment (so neither the command line nor the log shows it).
    await cli(['stop', '--time', String(STOP_TIMEOUT_S), first]);
    await cli(['rm', first]);
    const token = randomBytes(24).toString('base64url');
    const second = await runContainer({ MOCK_FEISHU_CONTROL_TOKEN: token });
    const secondBanner = await bannerOf(second);
    expect(secondBanner).toContain('state kept in /data (restored)');
    expect(secondBanner).toContain('control token required on /__mock');
    expect(await logsOf(second)).not.toContain(token);

    const listed = await sdkClient(baseUrl).task.v2.attachment.list({
      params: { resource_type: 'task', resource_id: taskGuid },
    });
    const url = listed.data?.items?.[0]?.url as string;
    expect(url.startsWith(`${baseUrl}/`)).toBe(true);
    const download = await fetch(url);
    expect(Buffer.from(await download.arrayBuffer()).equals(kept)).toBe(true);
    const state = await fetch(`${baseUrl}/__mock/state`, { headers: { authorization: `Bearer ${token}` } });
    expect(state.status).toBe(200);
    expect((await fetch(`${baseUrl}/__mock/state`)).status).toBe(401);
  });
});
