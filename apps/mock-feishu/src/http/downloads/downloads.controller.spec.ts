import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import type { DownloadsService } from '../../core/downloads/downloads.service.js';
import { FeishuError } from '../../core/errors/feishu-error.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { downloadHeaders } from './download-headers.js';
import { DownloadsController } from './downloads.controller.js';
import { attachRequestContext } from '../request/request-context.js';
import type { Sandbox } from '../../core/sandboxes/sandbox.js';

/** A request whose sandbox downloads through `downloads`, as the gateway would leave it. */
function request(method: string, downloads: DownloadsService): Request {
  const req = { method } as Request;
  attachRequestContext(req, { logId: 'log', startedAt: 0, sandbox: { downloads } as unknown as Sandbox });
  return req;
}

const attachment = (overrides: Partial<AttachmentRecord> = {}): AttachmentRecord => ({
  guid: 'guid',
  fileToken: 'token',
  name: 'report.pdf',
  size: 3,
  contentType: 'application/pdf',
  resourceType: 'task',
  resourceId: 'task',
  uploaderKey: 'app:cli',
  isCover: false,
  uploadedAt: 0,
  seq: 1,
  blobKey: 'blob',
  ...overrides,
});

/** A stub service that counts the uses a download takes. */
function stubAttachments(record: AttachmentRecord) {
  const counts = { uses: 0 };
  const service = {
    peekDownload: async () => ({ ok: true as const, attachment: record }),
    openDownload: async () => {
      counts.uses += 1;
      return { ok: true as const, attachment: record, body: Readable.from([Buffer.from('abc')]) };
    },
  };
  return { service: service as unknown as DownloadsService, counts };
}

const response = () => {
  const headers: Record<string, string> = {};
  const res = {
    status: () => res,
    setHeader: (name: string, value: string) => (headers[name] = value),
    end: () => res,
  };
  return { res: res as unknown as Response, headers };
};

describe('DownloadsController', () => {
  it.each([
    ['a content type with CR/LF', { contentType: 'text/plain\r\nX-Evil: 1' }, 'Content-Type'],
    ['a content type with a non-Latin-1 character', { contentType: 'text/plain€' }, 'Content-Type'],
    ['a size that is not a length', { size: -1 }, 'Content-Length'],
  ])('refuses a download with %s before taking a use of the URL', async (_what, overrides, header) => {
    const { service, counts } = stubAttachments(attachment(overrides));
    const controller = new DownloadsController(new MockFeishuSettings());
    const { res } = response();
    const refused = await controller.download(request('GET', service), res, 'code').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FeishuError);
    expect(refused).toMatchObject({ status: 500, code: 1470500 });
    expect((refused as FeishuError).msg).toContain(`its ${header} header cannot be written`);
    expect(counts.uses).toBe(0);
  });

  it('answers a HEAD with every header computed up front, taking no use', async () => {
    const { service, counts } = stubAttachments(attachment());
    const controller = new DownloadsController(new MockFeishuSettings());
    const { res, headers } = response();
    await controller.download(request('HEAD', service), res, 'code');
    expect(counts.uses).toBe(0);
    expect(headers).toEqual({
      'Content-Type': 'application/pdf',
      'Content-Length': '3',
      'Content-Disposition': 'attachment; filename="report.pdf"',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });
});

describe('downloadHeaders', () => {
  it('keeps a non-ASCII file name in filename* and an ASCII fallback, both writable', () => {
    const headers = downloadHeaders(attachment({ name: '报告 v2.pdf' }));
    expect(headers['Content-Disposition']).toBe(
      `attachment; filename="__ v2.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20v2.pdf`,
    );
  });
});
