import { transformSync } from '@swc/core';
import * as client from '@feishu-attachments/api-client';
import { startMockFeishu, type RunningMockFeishu } from '@feishu-attachments/mock-feishu';
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const README = join(__dirname, '..', '..', '..', 'libs', 'api-client', 'README.md');

/**
 * The client README's TypeScript blocks, in order, as one program: imports become parameters,
 * the emulator's URL replaces the documented one, and `./file` paths point into a temp folder.
 */
function readmeProgram(baseUrl: string, dir: string): string {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  const body = blocks
    .join('\n')
    .replace(/^import .*$/gm, '')
    .replaceAll('http://127.0.0.1:3100', baseUrl)
    .replace(/'\.\/([^']+)'/g, (_all, name: string) => JSON.stringify(join(dir, name)));
  const { code } = transformSync(
    `export async function run(deps) {\nconst { ${Object.keys(deps()).join(', ')} } = deps();\n${body}\n}`,
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    },
  );
  return code;
}

/** The user the README's member and list examples name as "a user of your tenant", made in beforeAll. */
const user = { userOpenId: '', userAccessToken: '' };

function deps() {
  return {
    ...client,
    createReadStream: fs.createReadStream,
    createWriteStream: fs.createWriteStream,
    pipeline,
    console: fakeConsole,
    ...user,
  };
}
const logged: unknown[][] = [];
const fakeConsole = { log: (...args: unknown[]) => logged.push(args) };

describe('the client README', () => {
  let feishu: RunningMockFeishu;
  let dir: string;

  beforeAll(async () => {
    feishu = await startMockFeishu({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'readme-'));
    writeFileSync(join(dir, 'report.pdf'), '%PDF-1.7 report');
    // The README declares this stream's size as 52_113 bytes.
    writeFileSync(join(dir, 'photo.jpg'), Buffer.alloc(52_113, 7));
    user.userOpenId = (await feishu.seeder.createUser('Alice')).openId;
    user.userAccessToken = (await feishu.seeder.issueUserToken(user.userOpenId)).accessToken;
  });

  afterAll(async () => {
    await feishu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every example as written against the emulator', async () => {
    const module = { exports: {} as { run: (d: typeof deps) => Promise<void> } };
    new Function('module', 'exports', 'require', readmeProgram(feishu.url, dir))(
      module,
      module.exports,
      require,
    );

    await module.exports.run(deps);

    // The task examples: renamed with its due time, completed, reopened; Alice assigned, listing the
    // task as hers, unassigned; one subtask under the task.
    expect(logged).toContainEqual(['Quarterly report, final', true, 'done', 'todo']);
    expect(logged).toContainEqual([['assignee true']]);
    expect(logged).toContainEqual(['open and assigned to the user:', 'Quarterly report, final']);
    expect(logged).toContainEqual([0]);
    expect(logged).toContainEqual(['Collect the figures', true, true]);
    // The download example printed the second file's name, size, type and text.
    expect(logged).toContainEqual(['notes.txt', 5, 'text/plain', 'hello']);
    // The progress lines ended at 100 %: the whole multipart body, and the whole third file.
    expect(logged).toContainEqual(['upload 100 %']);
    expect(logged).toContainEqual(['download 100 % (52113 of 52113 bytes)']);
    // downloadToFile wrote the third file byte for byte.
    expect(readFileSync(join(dir, 'photo-copy.jpg'))).toEqual(Buffer.alloc(52_113, 7));
    // downloadStream's example piped the second file to disk.
    expect(readFileSync(join(dir, 'notes-copy.txt'), 'utf8')).toBe('hello');
    // The error example met the deleted attachment and took its NotFound branch.
    expect(
      logged.some(
        (line) => line[0] === 'gone; log id for support:' && /^\d{14}[0-9A-F]{20}$/.test(String(line[1])),
      ),
    ).toBe(true);
  });
});
