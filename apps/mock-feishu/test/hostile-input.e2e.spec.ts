import { FeishuPath } from '@feishu-attachments/api-client/wire';
import { startMockFeishu, type RunningMockFeishu } from '../src/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneRoutes } from './support/control-plane-routes.js';
import { testStore } from './support/mock-feishu.fixture.js';
import {
  controlBodies,
  controlCases,
  controlPaths,
  controlQueries,
} from './support/hostile-control-requests.js';
import {
  authenticatedRoutes,
  badIds,
  badTokens,
  idCases,
  surfaceCases,
  tokenCases,
  type Hostile,
  type HostileContext,
} from './support/hostile-requests.js';

/**
 * Malformed and hostile requests on every route of the emulator: each must get a 4xx in the
 * emulator's own error shape, with no stack trace and no internal path. The emulator is started
 * directly (not behind the Prism referee), so the bytes sent are the bytes it sees; on the SQLite
 * run it gets a data dir of its own.
 */

let feishu: RunningMockFeishu;
let dataDir: string | undefined;
let tenantToken: string;
let ctx: HostileContext;

async function tokenFor(appId: string, appSecret: string): Promise<string> {
  const response = await fetch(`${feishu.url}${FeishuPath.TenantAccessToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: appId, app_secret: appSecret }),
  });
  return ((await response.json()) as { tenant_access_token: string }).tenant_access_token;
}

beforeAll(async () => {
  dataDir = testStore === 'sqlite' ? mkdtempSync(join(tmpdir(), 'mock-feishu-hostile-')) : undefined;
  feishu = await startMockFeishu({ port: 0, rateLimits: false, dataDir });
  // Issued first, then the clock moves 2 h + 1 s, so it is past Feishu's 7200 s lifetime.
  const expiredToken = await tokenFor(feishu.app.appId, feishu.app.appSecret);
  feishu.clock.advance(7_201_000);
  tenantToken = await tokenFor(feishu.app.appId, feishu.app.appSecret);
  await feishu.seeder.createApp({ appId: 'cli_hostile_other', appSecret: 'other_secret', scopes: [] });
  const otherAppToken = await tokenFor('cli_hostile_other', 'other_secret');
  const seeded = await feishu.seeder.createTaskWithAttachments({
    summary: 'hostile',
    attachments: [{ name: 'a.txt', content: 'a' }],
  });
  ctx = {
    appId: feishu.app.appId,
    taskGuid: seeded.taskGuid,
    attachmentGuid: seeded.attachments[0].guid,
    otherAppToken,
    expiredToken,
  };
});
afterAll(async () => {
  await feishu?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// --- the checks ----------------------------------------------------------------------------
const STACK_OR_PATH = /\n\s+at |\bat [\w.<>]+ \(|Error: |\/work\/|node_modules|dist\/|src\//;

async function send(request: Hostile): Promise<{ status: number; text: string; type: string }> {
  const headers: Record<string, string> = { ...request.headers };
  const auth = request.auth === undefined ? `Bearer ${tenantToken}` : request.auth;
  if (auth !== null) headers.authorization = auth;
  const response = await fetch(`${feishu.url}${request.path}`, {
    method: request.method,
    headers,
    body: request.body as BodyInit | undefined,
  });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get('content-type') ?? '',
  };
}

/**
 * Feishu's envelope or flat `{code, msg}` (the token endpoints answer HTTP 200 with a non-zero
 * code), the OAuth `{code, error, error_description}`, or the gateway's text 404.
 */
function isEmulatorErrorShape(answer: { status: number; text: string }): boolean {
  if (answer.status === 404 && answer.text === '404 page not found') return true;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return false;
  }
  if (typeof body.code !== 'number' || body.code === 0) return false;
  return typeof body.msg === 'string' || typeof body.error_description === 'string';
}

const rows = () => [...tokenCases(ctx), ...idCases(), ...surfaceCases(ctx), ...controlCases()];

describe('hostile input to the emulator', () => {
  it('covers at least 150 requests, every authenticated route and every control route that reads input', () => {
    expect(tokenCases(ctx)).toHaveLength(authenticatedRoutes(ctx).length * (badTokens(ctx).length + 1));
    expect(idCases()).toHaveLength(badIds.length * 6);
    const covered = new Set([
      ...Object.keys(controlBodies),
      ...Object.keys(controlQueries),
      ...Object.keys(controlPaths),
    ]);
    const readingInput = controlPlaneRoutes().filter((route) =>
      /^(POST|PUT)|\{|GET \/__mock\/(requests|download-urls)$/.test(route),
    );
    expect(readingInput.filter((route) => !covered.has(route))).toEqual([]);
    expect(rows().length).toBeGreaterThanOrEqual(150);
  });

  it('answers every one below 500 in the emulator error shape, without a stack trace or an internal path', async () => {
    const failures: string[] = [];
    for (const request of rows()) {
      const answer = await send(request);
      const accepted = request.mayPass === true && answer.status < 300;
      const problems = [
        answer.status >= 500 ? `status ${answer.status}` : '',
        accepted || isEmulatorErrorShape(answer) ? '' : 'not the emulator error shape',
        STACK_OR_PATH.test(answer.text) ? 'a stack trace or an internal path' : '',
      ].filter(Boolean);
      if (problems.length > 0)
        failures.push(`${request.name}: ${problems.join(', ')}: ${answer.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('left the seeded attachment and its URL uses alone', async () => {
    expect((await feishu.seeder.counts()).attachments).toBeGreaterThanOrEqual(1);
  });
});
