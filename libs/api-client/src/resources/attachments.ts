import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  FeishuPath,
  type Attachment,
  type GetAttachmentData,
  type Page,
  type UploadAttachmentsData,
  type UserIdType,
} from '../wire/index.js';
import type { ProgressListener } from '../core/progress.js';
import type { CallOptions, Transport } from '../core/transport.js';
import { FeishuDownloadError } from '../core/errors.js';
import { paginate } from '../core/pagination.js';
import { checkGuid } from '../internal/guid.js';
import { prepareUpload, type UploadFile } from '../internal/multipart.js';
import { path } from '../internal/path.js';
import { DownloadUrls } from './download-urls.js';

export interface AttachmentCallOptions extends CallOptions {
  /** How the uploader's id is written. @default 'open_id' */
  userIdType?: UserIdType;
}

export interface UploadOptions extends AttachmentCallOptions {
  /**
   * Called as the multipart body is handed to fetch, and once at 100 % when all of it was. A
   * retried upload (after a rate limit) starts again from 0.
   */
  onUploadProgress?: ProgressListener;
}

export interface DownloadOptions extends CallOptions {
  /** Called as the bytes are read (ky's own progress events), and once at 100 % at the end. */
  onDownloadProgress?: ProgressListener;
}

export interface ListAttachmentsParams {
  taskGuid: string;
  /** 1–100. @default 50 */
  pageSize?: number;
  pageToken?: string;
  userIdType?: UserIdType;
}

export interface DownloadedAttachment {
  /** The bytes, streamed; read it once. */
  body: ReadableStream<Uint8Array>;
  name: string;
  size: number;
  contentType: string;
  attachment: Attachment;
}

const REFUSED_DOWNLOAD = new Set([401, 403, 404, 410]);

/** Upload, list, get, delete and download task attachments. */
export class Attachments {
  private readonly urls: DownloadUrls;

  constructor(
    private readonly transport: Transport,
    now: () => number,
  ) {
    this.urls = new DownloadUrls(now);
  }

  /**
   * Uploads 1–5 files to a task in one request; the answer keeps the order of `files`. Limits are
   * checked before anything is sent.
   */
  async upload(
    taskGuid: string,
    files: readonly UploadFile[],
    options: UploadOptions = {},
  ): Promise<Attachment[]> {
    checkGuid(taskGuid, 'taskGuid');
    const fields = { resource_type: 'task', resource_id: taskGuid };
    const body = await prepareUpload(fields, files, options.onUploadProgress);
    const envelope = await this.transport.request<UploadAttachmentsData>(
      {
        method: 'POST',
        path: FeishuPath.AttachmentUpload,
        query: { user_id_type: options.userIdType },
        body,
        transfer: true,
      },
      options,
    );
    return envelope.data!.items;
  }

  /** One page and the cursor for the next one (`page_token`, present while `has_more`). */
  async listPage(params: ListAttachmentsParams, options: CallOptions = {}): Promise<Page<Attachment>> {
    checkGuid(params.taskGuid, 'taskGuid');
    const envelope = await this.transport.request<Page<Attachment>>(
      {
        method: 'GET',
        path: FeishuPath.Attachments,
        query: {
          resource_type: 'task',
          resource_id: params.taskGuid,
          page_size: params.pageSize,
          page_token: params.pageToken,
          user_id_type: params.userIdType,
        },
      },
      options,
    );
    const page = envelope.data!;
    for (const item of page.items ?? []) this.urls.remember(item, options);
    return page;
  }

  /** Every attachment of a task, page after page; an error on any page is thrown to the loop. */
  async *listAll(
    params: Omit<ListAttachmentsParams, 'pageToken'>,
    options: CallOptions = {},
  ): AsyncGenerator<Attachment> {
    yield* paginate((pageToken) => this.listPage({ ...params, pageToken }, options));
  }

  /** One attachment, with a fresh temporary `url`. */
  async get(attachmentGuid: string, options: AttachmentCallOptions = {}): Promise<Attachment> {
    checkGuid(attachmentGuid, 'attachmentGuid');
    const envelope = await this.transport.request<GetAttachmentData>(
      {
        method: 'GET',
        path: path`/open-apis/task/v2/attachments/${attachmentGuid}`,
        query: { user_id_type: options.userIdType },
      },
      options,
    );
    return this.urls.remember(envelope.data!.attachment, options);
  }

  async delete(attachmentGuid: string, options: CallOptions = {}): Promise<void> {
    checkGuid(attachmentGuid, 'attachmentGuid');
    await this.transport.request(
      { method: 'DELETE', path: path`/open-apis/task/v2/attachments/${attachmentGuid}` },
      options,
    );
    this.urls.forgetAll(attachmentGuid);
  }

  /**
   * Streams an attachment's bytes. A URL this client holds is used while it has time and uses
   * left; otherwise, or when the download host refuses it, a fresh one is fetched with `get`. The
   * download URL is fetched without the Authorization header: its code is the credential.
   */
  async download(
    attachment: string | Attachment,
    options: DownloadOptions = {},
  ): Promise<DownloadedAttachment> {
    const guid = checkGuid(typeof attachment === 'string' ? attachment : attachment.guid, 'attachmentGuid');
    // A URL this client has seen keeps the uses already spent on it; only an unseen one is tracked
    // here. A call acting as a user takes no URL from an object: it may have been minted for
    // someone else, and the user's own read permission must be asked of Feishu.
    if (typeof attachment !== 'string' && !options.userAccessToken && !this.urls.held(guid, options)) {
      this.urls.remember(attachment, options);
    }
    const known = this.urls.takeUse(guid, options);
    let current = typeof attachment === 'string' ? known?.attachment : attachment;
    let url = known?.url;
    let fresh = false;
    if (!url) {
      current = await this.get(guid, options);
      url = this.urls.takeUse(guid, options)?.url;
      fresh = true;
    }
    for (;;) {
      const response = await this.transport.fetchUnauthenticated(url!, options);
      if (response.ok && response.body) {
        return {
          body: response.body,
          name: current!.name,
          size: Number(response.headers.get('content-length') ?? current!.size),
          contentType: response.headers.get('content-type') ?? 'application/octet-stream',
          attachment: current!,
        };
      }
      // Not awaited: a body that was cloned (say by an instrumenting fetch) cancels only once every copy is.
      void response.body?.cancel().catch(() => undefined);
      this.urls.forget(guid, options);
      if (fresh || !REFUSED_DOWNLOAD.has(response.status)) {
        throw new FeishuDownloadError(
          `Downloading attachment ${guid} failed with HTTP ${response.status}.`,
          response.status,
        );
      }
      current = await this.get(guid, options);
      url = this.urls.takeUse(guid, options)?.url;
      fresh = true;
    }
  }

  /** Downloads to a file, written under a temporary name and renamed when complete. */
  async downloadToFile(
    attachment: string | Attachment,
    filePath: string,
    options: DownloadOptions = {},
  ): Promise<{ path: string; bytes: number }> {
    const download = await this.download(attachment, options);
    const partial = `${filePath}.part`;
    let bytes = 0;
    const source = Readable.fromWeb(download.body as import('node:stream/web').ReadableStream<Uint8Array>);
    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    try {
      await pipeline(source, createWriteStream(partial), { signal: options.signal });
      await rename(partial, filePath);
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      throw error;
    }
    return { path: filePath, bytes };
  }
}
