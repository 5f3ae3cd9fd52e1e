import {
  ADMIN_TOKEN,
  fileForm,
  OTHER_ADMIN_TOKEN,
  startHarness,
  type Harness,
} from './support/admin-api.harness.js';

const MISSING_GUID = '00000000-0000-4000-8000-000000000008';

/**
 * Everything admin-api printed, through Nest's own console logger at debug level (so each Feishu
 * call is logged too) and through console.*, collected while `run` goes.
 */
async function capturingOutput(run: () => Promise<void>): Promise<string[]> {
  const output: string[] = [];
  const keep = (chunk: unknown) =>
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true)),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => keep(args.map(String).join(' '))),
    ),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return output;
}

describe('secrets stay out of answers and logs', () => {
  it('never shows the app secret, an admin token, the tenant token or a user token', async () => {
    const answers: string[] = [];
    const wrongAdminToken = 'guessed-admin-token-00000000';
    const wrongAppSecret = 'wrong-app-secret-for-this-test';
    const secrets: Record<string, string> = {};
    let tenantTokens: string[] = [];

    const output = await capturingOutput(async () => {
      const h: Harness = await startHarness({ adminApi: { logger: undefined, logLevel: 'debug' } });
      const wrongSecret = await startHarness({
        feishu: { appSecret: wrongAppSecret },
        adminApi: { logger: undefined, logLevel: 'debug' },
      });
      try {
        const call = async (harness: Harness, ...args: Parameters<Harness['call']>) => {
          const result = await harness.call(...args);
          const headers: string[] = [];
          result.headers.forEach((value, key) => headers.push(`${key}: ${value}`));
          answers.push(`${result.status} ${headers.join('\n')} ${result.text}`);
          return result;
        };
        const user = await h.createUser('Ada');
        const userToken = await h.userToken(user.open_id);
        const expiredUser = await h.createUser('Late');
        const expiredToken = await h.userToken(expiredUser.open_id);
        h.feishu.clock.advance(2 * 60 * 60 * 1000 + 1000);
        const freshUserToken = await h.userToken(user.open_id);
        Object.assign(secrets, {
          appSecret: h.feishu.app.appSecret,
          wrongAppSecret,
          adminToken: ADMIN_TOKEN,
          otherAdminToken: OTHER_ADMIN_TOKEN,
          wrongAdminToken,
          userToken,
          freshUserToken,
          expiredToken,
          unknownUserToken: 'u-made-up-user-token-0000',
        });

        // Happy paths, as the app and as a user.
        await call(h, 'GET', '/health', { token: null });
        const task = await call(h, 'POST', '/tasks', { json: { summary: 'secrets' } });
        const mine = await call(h, 'POST', '/tasks', {
          userToken: freshUserToken,
          json: { summary: 'mine' },
        });
        const uploaded = await call(h, 'POST', `/tasks/${task.body.guid}/attachments`, {
          body: fileForm([{ name: 'a.txt', content: 'a' }]),
        });
        await call(h, 'POST', `/tasks/${mine.body.guid}/attachments`, {
          userToken: freshUserToken,
          body: fileForm([{ name: 'b.txt', content: 'b' }]),
        });
        await call(h, 'GET', `/tasks/${task.body.guid}`);
        await call(h, 'GET', `/tasks/${task.body.guid}/attachments`);
        await call(h, 'GET', `/tasks/${task.body.guid}/attachments`, { query: { limit: 1 } });
        await call(h, 'GET', `/attachments/${uploaded.body.items[0].guid}`);
        await call(h, 'GET', `/attachments/${uploaded.body.items[0].guid}/content`);
        await call(h, 'GET', `/attachments/${uploaded.body.items[0].guid}/content`, {
          userToken: freshUserToken,
        });
        await call(h, 'DELETE', `/tasks/${mine.body.guid}/attachments`, { userToken: freshUserToken });
        await call(h, 'DELETE', `/attachments/${uploaded.body.items[0].guid}`);
        await call(h, 'GET', '/docs-json', { token: null });

        // Failures: our own 401s, Feishu's refusals of each token, Feishu's errors, and the app's bad secret.
        await call(h, 'GET', `/tasks/${MISSING_GUID}`, { token: wrongAdminToken });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`, {
          token: null,
          headers: { authorization: `Basic ${ADMIN_TOKEN}` },
        });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`, { userToken: 'u-made-up-user-token-0000' });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`, { userToken: expiredToken });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`, { userToken: freshUserToken });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`);
        await h.fault({
          operation: 'task.get',
          times: 3,
          error: { status: 500, code: 1470500, msg: 'boom' },
        });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`);
        await h.fault({
          operation: 'task.get',
          error: { status: 429, code: 99991400, msg: 'limit', headers: { 'x-ogw-ratelimit-reset': '120' } },
        });
        await call(h, 'GET', `/tasks/${MISSING_GUID}`);
        await call(wrongSecret, 'GET', `/tasks/${MISSING_GUID}`);
        await call(wrongSecret, 'GET', '/health', { token: null });

        tenantTokens = [...h.sent, ...wrongSecret.sent]
          .map((request) => /^Bearer (t-\S+)$/.exec(request.authorization ?? '')?.[1])
          .filter((token): token is string => token !== undefined);
      } finally {
        await wrongSecret.close();
        await h.close();
      }
    });

    // The check means something only if there was something to leak and something to leak into.
    expect(tenantTokens.length).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(20);
    expect(output.join('')).toMatch(/feishu → GET \/open-apis\/task\/v2\/tasks/);
    expect(output.join('')).toMatch(/→ 502/);
    for (const [name, value] of Object.entries({
      ...secrets,
      ...Object.fromEntries(tenantTokens.map((t, i) => [`tenantToken${i}`, t])),
    })) {
      const inAnswers = answers.filter((answer) => answer.includes(value));
      const inOutput = output.filter((line) => line.includes(value));
      expect({ name, inAnswers, inOutput }).toEqual({ name, inAnswers: [], inOutput: [] });
    }
  });
});
