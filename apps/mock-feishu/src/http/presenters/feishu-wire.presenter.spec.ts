import type { UserIdType } from '@feishu-attachments/api-client/wire';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import type { User } from '../../core/identity/identity.js';
import type { IdentityService } from '../../core/identity/identity.service.js';
import { answerJson, RawJson } from './answer-json.js';
import { FeishuWirePresenter } from './feishu-wire.presenter.js';

const ada: User = { openId: 'ou_ada', unionId: 'on_ada', userId: 'u_ada', name: 'Ada' };
const identity = { findUsers: async () => new Map([[ada.openId, ada]]) } as unknown as IdentityService;

const record = (guid: string, overrides: Partial<AttachmentRecord> = {}): AttachmentRecord => ({
  guid,
  fileToken: `box_${guid}`,
  name: `${guid}.txt`,
  size: 12,
  contentType: 'text/plain',
  resourceType: 'task',
  resourceId: 'task-1',
  uploaderKey: 'user:ou_ada',
  isCover: false,
  uploadedAt: 1_700_000_000_000,
  seq: 1,
  blobKey: `blob-${guid}`,
  ...overrides,
});

// Names that need escaping, and one spelling the marker the text is split at.
const NAMES = [
  'plain.txt',
  'quote".txt',
  'back\\slash',
  '"uploader":{}',
  'line\nbreak\u2028',
  'café 文件.pdf',
  '\u0001',
];

describe('FeishuWirePresenter.attachmentsJson', () => {
  it.each(['open_id', 'union_id', 'user_id'] as UserIdType[])(
    'writes each attachment exactly as JSON.stringify of its wire object (%s)',
    async (userIdType) => {
      const presenter = new FeishuWirePresenter(identity);
      const records = NAMES.map((name, i) =>
        record(`g${i}`, { name, isCover: i % 2 === 0, uploaderKey: i === 3 ? 'app:cli_a' : 'user:ou_ada' }),
      );
      const urls = records.map((r) => `http://127.0.0.1:3100/download/authcode/?code=${r.guid}"x`);
      const objects = await presenter.attachments(records, userIdType, urls);
      // Twice: once written, once from what was kept.
      for (let round = 0; round < 2; round++) {
        const texts = await presenter.attachmentsJson(records, userIdType, urls);
        expect(texts.map((text) => text.text)).toEqual(objects.map((object) => JSON.stringify(object)));
      }
    },
  );

  it('writes a record again when any of its fields changed under the same guid', async () => {
    const presenter = new FeishuWirePresenter(identity);
    const url = ['http://x/download/authcode/?code=a00'];
    const before = await presenter.attachmentsJson([record('g1')], 'open_id', url);
    const renamed = record('g1', { name: 'renamed.txt', size: 99 });
    const after = await presenter.attachmentsJson([renamed], 'open_id', url);
    expect(JSON.parse(before[0].text)).toMatchObject({ name: 'g1.txt', size: 12 });
    expect(after[0].text).toBe(JSON.stringify((await presenter.attachments([renamed], 'open_id', url))[0]));
  });

  it('puts in the uploader of the user_id_type asked for, for a record already written', async () => {
    const presenter = new FeishuWirePresenter(identity);
    const url = ['http://x/download/authcode/?code=a00'];
    await presenter.attachmentsJson([record('g1')], 'open_id', url);
    const [asUserId] = await presenter.attachmentsJson([record('g1')], 'user_id', url);
    expect(JSON.parse(asUserId.text).uploader).toEqual({ id: 'u_ada', type: 'user', role: 'editor' });
  });
});

describe('answerJson', () => {
  it('is JSON.stringify for values without RawJson parts', () => {
    const values: unknown[] = [
      { code: 0, msg: 'success', data: { items: [], has_more: false } },
      { a: undefined, b: null, c: [undefined, () => 1, 'x'], d: new Date(0), e: '\u2028"\\' },
      [1, 'two', { three: [3] }],
      'text',
      42,
      null,
    ];
    for (const value of values) expect(answerJson(value)).toBe(JSON.stringify(value));
  });

  it('places RawJson parts as their text', () => {
    const item = { guid: 'g1', name: 'a"b' };
    const answer = { code: 0, data: { items: [new RawJson(JSON.stringify(item))], has_more: true } };
    expect(answerJson(answer)).toBe(JSON.stringify({ code: 0, data: { items: [item], has_more: true } }));
  });
});
