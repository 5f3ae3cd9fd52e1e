import { startHarness, type Harness } from './support/admin-api.harness.js';

describe('liveness and readiness probes', () => {
  let h: Harness;

  afterEach(() => h?.close());

  it('answers both 200 without a token while Feishu answers and accepts the credentials', async () => {
    h = await startHarness();

    const live = await h.call('GET', '/health/live', { token: null });
    const ready = await h.call('GET', '/health/ready', { token: null });

    expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      feishu: { reachable: true, authenticated: true, latencyMs: expect.any(Number) },
    });
    expect(ready.headers.get('cache-control')).toBe('no-store');
  });

  it('is not ready (503) when Feishu rejects the app credentials, and still live', async () => {
    h = await startHarness({ feishu: { appSecret: 'not-the-secret' } });

    const ready = await h.call('GET', '/health/ready', { token: null });

    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'not-ready',
      feishu: { reachable: true, authenticated: false },
    });
    expect((await h.call('GET', '/health/live', { token: null })).status).toBe(200);
  });

  it('is not ready (503) when Feishu is unreachable', async () => {
    h = await startHarness();
    await h.feishu.close();

    const ready = await h.call('GET', '/health/ready', { token: null });

    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'not-ready',
      feishu: { reachable: false, authenticated: false, error: expect.stringContaining('unreachable') },
    });
  });
});
