import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalEmulator, type LocalEmulator } from '../src/local-emulator.js';
import { main } from '../src/main.js';
import type { ParityRecord } from '../src/report.js';
import { runParity } from '../src/run-parity.js';
import { STEPS } from '../src/steps.catalog.js';

/**
 * The parity command with its "real" side pointed at a second emulator started with other
 * options: no test reaches the internet, and the differences are known in advance.
 */
describe('npm run parity against a differently configured emulator', () => {
  let real: LocalEmulator;
  let out: string;
  let record: ParityRecord;
  let markdown: string;
  let userToken: string;
  let expiredToken: string;
  let readApp: { appId: string; appSecret: string };
  let fineApp: { appId: string; appSecret: string };
  let logs: string[];

  beforeAll(async () => {
    real = await startLocalEmulator([
      '--download-refusal-status',
      '404',
      '--expired-user-token-code',
      '99991668',
    ]);
    // Made before the run and aged past its 2 hours; the run's own tokens are issued afterwards.
    expiredToken = await real.userToken();
    await real.advance(7201 * 1000);
    userToken = await real.userToken();
    // The second app of the read-app steps, holding only task:task:read.
    readApp = await real.createApp(['task:task:read']);
    // The app of the fine-app steps, holding only the fine-grained attachment scopes.
    fineApp = await real.createApp(['task:attachment:upload', 'task:attachment:delete']);
    // A server error on the first attachment delete only.
    await real.addFault({
      method: 'DELETE',
      path: '/open-apis/task/v2/attachments/*',
      times: 1,
      error: { status: 500, code: 1470500, msg: 'injected' },
    });
    out = mkdtempSync(join(tmpdir(), 'parity-'));
    logs = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    try {
      // The secret and the tokens from the environment, the only place the command takes them from.
      const exitCode = await main(
        [
          ...['--base-url', real.url, '--app-id', real.appId, '--out', out],
          ...['--read-app-id', readApp.appId, '--tasklist-guid', randomUUID()],
          ...['--fine-app-id', fineApp.appId],
        ],
        {
          PARITY_APP_SECRET: real.appSecret,
          PARITY_USER_ACCESS_TOKEN: userToken,
          PARITY_EXPIRED_USER_ACCESS_TOKEN: expiredToken,
          PARITY_READ_APP_SECRET: readApp.appSecret,
          PARITY_FINE_APP_SECRET: fineApp.appSecret,
        },
      );
      expect(exitCode).toBe(0);
    } finally {
      log.mockRestore();
    }
    record = JSON.parse(readFileSync(join(out, 'parity-observations.json'), 'utf8'));
    markdown = readFileSync(join(out, 'parity-report.md'), 'utf8');
  });

  afterAll(async () => {
    await real.close();
    rmSync(out, { recursive: true, force: true });
  });

  const verdicts = () => Object.fromEntries(record.steps.map((step) => [step.id, step.verdict]));

  it('reports exactly the refused downloads, the faulted deletes and the expired user token as different', () => {
    const different = record.steps.filter((step) => step.verdict === 'different').map((step) => step.id);

    expect(different).toEqual([
      'download-4',
      'delete',
      'delete-again',
      'download-after-task-delete',
      'expired-user-token',
    ]);
    expect(verdicts()['download-after-3-minutes']).toBe('skipped');
    expect(record.steps.filter((step) => step.verdict === 'same')).toHaveLength(STEPS.length - 6);
    expect(record.summary).toEqual({ same: STEPS.length - 6, different: 5, skipped: 1 });
  });

  it("records both sides' status and code for each difference", () => {
    const step = (id: string) => record.steps.find((s) => s.id === id)!;

    expect(step('download-4').real.observation).toMatchObject({ status: 404, code: 1470404 });
    expect(step('download-4').emulator.observation).toMatchObject({ status: 403, code: 1470403 });
    expect(step('delete').real.observation).toMatchObject({ status: 500, code: 1470500 });
    expect(step('delete-again').real.observation).toMatchObject({ status: 200, code: 0 });
    expect(step('delete-again').emulator.observation).toMatchObject({ status: 404, code: 1470404 });
    expect(step('expired-user-token').real.observation).toMatchObject({ status: 400, code: 99991668 });
    expect(step('expired-user-token').emulator.observation).toMatchObject({ status: 400, code: 99991677 });
  });

  it('names the emulator option that would reproduce each real answer it can', () => {
    const hints = Object.fromEntries(record.steps.filter((s) => s.hint).map((s) => [s.id, s.hint]));

    expect(hints).toEqual({
      'download-4': '--download-refusal-status 404',
      'download-after-task-delete': '--download-refusal-status 404',
      'expired-user-token': '--expired-user-token-code 99991668',
    });
    expect(markdown).toContain('| `download-4` download a fourth time | different | 404 / 1470404 (json, ');
    expect(markdown).toContain('--download-refusal-status 404');
    expect(logs).toContain(`parity: ${STEPS.length - 6} same, 5 different, 1 skipped`);
  });

  it('compares what is comparable: list order, header presence, uploader and the UTF-8 name', () => {
    const step = (id: string) => record.steps.find((s) => s.id === id)!;

    expect(step('list-order').real.observation?.order).toEqual([
      'parity-1.txt',
      'parity-2.txt',
      '报告-ü-3.txt',
      'parity-4.txt',
      'parity-5.txt',
      'parity-6.txt',
    ]);
    expect(step('upload-one').real.observation?.values).toMatchObject({
      'data.items[].uploader.type': ['app'],
      'data.items[].is_cover': [false],
    });
    expect(step('download-1').real.observation?.headers).toMatchObject({
      'x-tt-logid': 'present (yyyyMMddHHmmss + 20 hex)',
      'content-disposition': 'attachment; filename="parity-1.txt"',
      'content-length': '44',
    });
    expect(step('download-1').real.observation?.values).toEqual({ 'bytes match the upload': true });
    expect(step('user-upload').real.observation?.values).toMatchObject({
      'data.items[].uploader.type': ['user'],
    });
  });

  it('observes what the task surface assumes: updated_at, list orders, tasklists, scopes, a task delete', () => {
    const real = (id: string) => record.steps.find((s) => s.id === id)!.real.observation!;
    const answer = (id: string) => `${real(id).status}/${real(id).code}`;

    // updated_at: how it moved, never its value.
    expect(real('task-patch-same-value').values.updated_at).toBe('unchanged');
    expect(real('task-patch-new-value').values.updated_at).toBe('moved on');
    expect(real('subtask-create-second').values.updated_at).toBe('unchanged');
    expect(real('user-add-follower-updated-at').values.updated_at).toBe('moved on');
    expect(real('user-add-follower-again').values.updated_at).toBe('unchanged');
    expect(real('user-remove-follower-updated-at').values.updated_at).toBe('moved on');
    expect(answer('task-patch-clear-summary')).toBe('400/1470400');
    // Orders, by the run's own labels.
    expect(real('subtask-list-order').order).toEqual(['first subtask', 'second subtask']);
    expect(real('user-task-list-order').order).toEqual(['assigned first', 'assigned second']);
    // Tasklists and custom fields the emulator does not know.
    expect(real('task-create-in-tasklist').shape).toContain('data.task.tasklists[].tasklist_guid: string');
    expect(answer('task-create-unknown-tasklist')).toBe('200/0');
    expect(answer('task-create-unknown-custom-field')).toBe('200/0');
    // A task's delete takes its attachment.
    expect(answer('task-delete-with-attachment')).toBe('200/0');
    for (const id of [
      'task-delete-again',
      'attachment-list-after-task-delete',
      'attachment-get-after-task-delete',
      'download-after-task-delete',
      'attachment-delete-after-task-delete',
    ])
      expect({ id, answer: answer(id) }).toEqual({ id, answer: '404/1470404' });
    // The app holding only task:task:read: reads pass, writes stop at the scope.
    expect(answer('read-app-add-follower')).toBe('200/0');
    expect(answer('read-app-task-get')).toBe('200/0');
    expect(answer('read-app-subtask-list')).toBe('200/0');
    for (const id of [
      'read-app-patch',
      'read-app-add-members',
      'read-app-remove-members',
      'read-app-subtask-create',
    ])
      expect({ id, answer: answer(id) }).toEqual({ id, answer: '400/99991672' });
    // The app holding only task:attachment:upload and task:attachment:delete, an assignee of its
    // task: each attachment call stops at the scope, and the refusal names the scopes it lacks.
    expect(answer('fine-app-add-assignee')).toBe('200/0');
    for (const [id, wanted] of [
      ['fine-app-upload', '[task:attachment:write]'],
      ['fine-app-list', '[task:attachment:read, task:attachment:write]'],
      ['fine-app-delete', '[task:attachment:write]'],
    ]) {
      expect({ id, answer: answer(id) }).toEqual({ id, answer: '400/99991672' });
      expect({ id, message: real(id).message }).toEqual({
        id,
        message: expect.stringContaining(`One of the following scopes is required: ${wanted}`),
      });
    }
  });

  it('keeps no token, secret, download code or file content in its outputs', async () => {
    // While 30 minutes remain Feishu hands back the same tenant token: the one the run used.
    const tenantTokenOf = async (app: { appId: string; appSecret: string }) =>
      (
        await (
          await fetch(`${real.url}/open-apis/auth/v3/tenant_access_token/internal`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ app_id: app.appId, app_secret: app.appSecret }),
          })
        ).json()
      ).tenant_access_token as string;
    const tenantToken = await tenantTokenOf(real);
    const readAppToken = await tenantTokenOf(readApp);
    const fineAppToken = await tenantTokenOf(fineApp);
    // One page of the largest size holds every URL a parity run mints.
    const ledger = await (await fetch(`${real.url}/__mock/download-urls?page_size=500`)).json();
    const codes = (ledger.items as { url: string }[]).map(
      (issued) => new URL(issued.url).searchParams.get('code') as string,
    );
    const outputs = [readFileSync(join(out, 'parity-observations.json'), 'utf8'), markdown];

    expect(codes.length).toBeGreaterThan(0);
    for (const text of outputs) {
      for (const secret of [
        real.appSecret,
        tenantToken,
        userToken,
        expiredToken,
        readApp.appSecret,
        readAppToken,
        fineApp.appSecret,
        fineAppToken,
        ...codes,
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain('feishu-attachments parity file');
      expect(text).not.toMatch(/\bt-[0-9a-f]{16,}/);
    }
  });

  it('deletes everything it created on the real side', async () => {
    const journal = await real.journal();
    const deletes = journal.filter((entry) => entry.method === 'DELETE' && entry.status === 200);

    // 7 tenant-token attachments (one without a filename), less the one the suite deletes itself,
    // plus the one the app put on the fine app's task for it to delete (its own upload refused),
    // plus the user's one (the deleted task's attachment went with it, and a step saw it gone);
    // then the subtasks before their parents: the run task's second and the one whose parent a
    // step deleted (gone with it on the emulator: 404) and the run task's first; then the run
    // task, the task with every field, the tasks in the given, an unknown tasklist and with an
    // unknown custom field, the fine app's task, the user's task and the task assigned to the
    // user second. That is 11 task deletes in a row, one more than the 10 a second Feishu allows:
    // the last waits for the window and is asked again.
    expect(record.cleanup.real.map((call) => `${call.what} ${call.status}`)).toEqual([
      'attachment 1 200',
      'attachment 2 200',
      'attachment 3 200',
      'attachment 4 200',
      'attachment 5 200',
      'attachment 6 200',
      'attachment 7 200',
      'attachment 8 200',
      'task 1 200',
      'task 2 404',
      'task 3 200',
      'task 4 200',
      'task 5 200',
      'task 6 200',
      'task 7 200',
      'task 8 200',
      'task 9 200',
      'task 10 200',
      'task 11 200',
    ]);
    // The two tasks steps delete themselves (the subtask's parent, the task with an attachment),
    // and the 10 the clean-up does.
    expect(deletes.filter((entry) => entry.operation === 'task.delete')).toHaveLength(12);
  });
});

describe('npm run parity against an emulator like its own', () => {
  it('finds every step the same, the slow one included, on the real side moving its clock instead of sleeping', async () => {
    const real = await startLocalEmulator();
    const out = mkdtempSync(join(tmpdir(), 'parity-'));
    try {
      const outcome = await runParity(
        {
          baseUrl: real.url,
          appId: real.appId,
          appSecret: real.appSecret,
          slow: true,
          emulatorArgs: [],
          outDir: out,
          record: false,
          recordDir: join(out, 'recordings'),
          proxy: {},
        },
        {
          fetch: (url, init) => fetch(url, init),
          wait: (ms) => real.advance(ms),
          now: () => new Date(),
          log: () => undefined,
        },
      );
      const slow = outcome.record.steps.find((step) => step.id === 'download-after-3-minutes')!;

      expect(outcome.rows.filter((row) => row.verdict === 'different')).toEqual([]);
      expect(slow.verdict).toBe('same');
      expect(slow.real.observation).toMatchObject({ status: 403, code: 1470403 });
      // Without --fine-app-id its steps are skipped on both sides, saying what they need.
      for (const id of ['fine-app-add-assignee', 'fine-app-upload', 'fine-app-list', 'fine-app-delete']) {
        const step = outcome.record.steps.find((s) => s.id === id)!;
        expect({ id, verdict: step.verdict, reason: step.real.skipped }).toEqual({
          id,
          verdict: 'skipped',
          reason:
            'needs --fine-app-id and PARITY_FINE_APP_SECRET (an app holding only task:attachment:upload and task:attachment:delete)',
        });
      }
    } finally {
      await real.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
