import { spawnEmulator, type EmulatorProcess } from '../support/emulator-process.js';

// What the CLI prints at start: the address it bound, and no secret but the documented default
// app secret and a control token it generated (printed exactly once).
describe('the start banner', () => {
  let running: EmulatorProcess | undefined;
  afterEach(async () => {
    await running?.kill('SIGTERM');
    running = undefined;
  });

  it('on 0.0.0.0: shows the bound address, a usable loopback URL, the generated token once, and masks a given app secret', async () => {
    running = await spawnEmulator(['--host', '0.0.0.0', '--app-secret', 'a-given-secret-9c1f']);
    const output = running.output();
    const port = /listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(output)?.[1];
    expect(port).toEqual(expect.stringMatching(/^\d+$/));
    expect(output).toContain(`(from this machine: http://127.0.0.1:${port})`);
    expect(output).not.toContain('a-given-secret-9c1f');
    expect(output).toContain('app_secret ******** (as given)');

    const token = /control token ([A-Za-z0-9_-]{43})\n/.exec(output)?.[1] as string;
    expect(token).toBeDefined();
    expect(output.split(token)).toHaveLength(2);
    expect(output).toContain('inspector http://127.0.0.1:');
    expect(output).toContain('/__mock/ui/?token=<control token>');

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/__mock/health`)).status).toBe(401);
    const health = await fetch(`${base}/__mock/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
  });

  it('on loopback: no control token, and the documented default app secret as it is', async () => {
    running = await spawnEmulator([]);
    const output = running.output();
    expect(output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(output).toContain('app_id cli_mock_app  app_secret mock_app_secret');
    expect(output).not.toContain('control token');
  });

  it('with --control-token: says a token is required and never prints it', async () => {
    running = await spawnEmulator(['--control-token', 'my-own-token-5d2a']);
    const output = running.output();
    expect(output).toContain('control token required on /__mock');
    expect(output).not.toContain('my-own-token-5d2a');
  });
});
