import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeishuErrorCode, FeishuPath } from '@feishu-attachments/api-client/wire';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const attachmentPath = (guid: string) =>
  FeishuPath.Attachment.replace(':attachment_guid', encodeURIComponent(guid));
const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000000';

describe('GET and DELETE /open-apis/task/v2/attachments/:attachment_guid', () => {
  let feishu: MockFeishuFixture;
  let dataDir: string;
  let token: string;
  let taskGuid: string;

  const uploadOne = async (name = 'notes.txt', content = 'some notes') => {
    const result = await feishu.upload(token, taskGuid, [{ name, content, type: 'text/plain' }]);
    expect(result.status).toBe(200);
    return result.body.data.items[0] as Record<string, unknown> & { guid: string };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-feishu-get-delete-e2e-'));
    feishu = await createMockFeishu({ dataDir });
  });

  afterAll(async () => {
    await feishu?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    taskGuid = await feishu.createTask(token);
  });

  describe('get', () => {
    it('answers the attachment as uploaded, plus a download url', async () => {
      const uploaded = await uploadOne();

      const result = await feishu.call('GET', attachmentPath(uploaded.guid), { token });

      expect(result.status).toBe(200);
      expect(result.body.code).toBe(0);
      const { url, ...rest } = result.body.data.attachment;
      expect(rest).toEqual(uploaded);
      expect(url.startsWith(`${feishu.publicUrl}/download/authcode/?code=`)).toBe(true);
    });

    it('mints a different url on every call', async () => {
      const uploaded = await uploadOne();

      const first = await feishu.call('GET', attachmentPath(uploaded.guid), { token });
      const second = await feishu.call('GET', attachmentPath(uploaded.guid), { token });

      expect(first.body.data.attachment.url).not.toBe(second.body.data.attachment.url);
    });

    it('names a user uploader in the requested user_id_type', async () => {
      const user = await feishu.createUser('Uploader');
      const userToken = await feishu.userToken(user.open_id);
      taskGuid = await feishu.createTask(userToken);
      token = userToken;
      const uploaded = await uploadOne();

      const result = await feishu.call('GET', attachmentPath(uploaded.guid), {
        token: userToken,
        query: { user_id_type: 'user_id' },
      });

      expect(result.status).toBe(200);
      expect(result.body.data.attachment.uploader).toMatchObject({ id: user.user_id, type: 'user' });
    });

    it('answers 404/1470404 for an attachment that does not exist', async () => {
      const result = await feishu.call('GET', attachmentPath(UNKNOWN_GUID), { token });

      expect(result.status).toBe(404);
      expect(result.body.code).toBe(FeishuErrorCode.NotFound);
    });
  });

  describe('delete', () => {
    it('answers 200 with code 0 and empty data', async () => {
      const uploaded = await uploadOne();

      const result = await feishu.call('DELETE', attachmentPath(uploaded.guid), { token });

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ code: 0, data: {} });
      expect(result.body.data).toEqual({});
    });

    it('answers 404/1470404 when the attachment is deleted a second time', async () => {
      const uploaded = await uploadOne();
      await feishu.call('DELETE', attachmentPath(uploaded.guid), { token });

      const again = await feishu.call('DELETE', attachmentPath(uploaded.guid), { token });

      expect(again.status).toBe(404);
      expect(again.body.code).toBe(FeishuErrorCode.NotFound);
    });

    it('makes a later get answer 404/1470404', async () => {
      const uploaded = await uploadOne();
      await feishu.call('DELETE', attachmentPath(uploaded.guid), { token });

      const result = await feishu.call('GET', attachmentPath(uploaded.guid), { token });

      expect(result.status).toBe(404);
      expect(result.body.code).toBe(FeishuErrorCode.NotFound);
    });

    it('removes the stored bytes and only those', async () => {
      const kept = await uploadOne('kept.txt', 'kept bytes');
      const removed = await uploadOne('removed.txt', 'removed bytes');
      expect(readdirSync(join(dataDir, 'blobs'))).toHaveLength(2);

      await feishu.call('DELETE', attachmentPath(removed.guid), { token });

      expect(readdirSync(join(dataDir, 'blobs'))).toHaveLength(1);
      const { url } = (await feishu.call('GET', attachmentPath(kept.guid), { token })).body.data.attachment;
      expect(await (await fetch(url)).text()).toBe('kept bytes');
    });

    it('answers 404/1470404 for an attachment that never existed', async () => {
      const result = await feishu.call('DELETE', attachmentPath(UNKNOWN_GUID), { token });

      expect(result.status).toBe(404);
      expect(result.body.code).toBe(FeishuErrorCode.NotFound);
    });
  });
});
