import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  FeishuPath,
  type Attachment,
  type GetAttachmentData,
  type Page,
  type UploadAttachmentsData,
  type UserIdType,
} from '../wire/index.js';
import { progressCounter, type ProgressListener } from '../core/progress.js';
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

export interface StreamedAttachment {
  /** The bytes as a Node stream, straight from the connection; read it once (or destroy it). */
  body: Readable;
  name: string;
  size: number;
  contentType: string;
  attachment: Attachment;
}

const REFUSED_DOWNLOAD = new Set([401, 403, 404, 410]);

/**
 * The body with progress counted as it passes. A stage of its own, since a 'data' listener on the
 * body would start it flowing before the caller reads it; only added when progress is asked for.
 */
function counted(body: Readable, size: number, listener: ProgressListener): Readable {
  const progress = progressCounter(Number.isFinite(size) ? size : 0, listener);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.add(chunk.length);
      callback(null, chunk);
    },
    flush(callback) {
      progress.done();
      callback();
    },
  });
  // A failed body fails the stage, so whoever reads it sees the error; a reader that stops ends both.
  pipeline(body, counter).catch(() => undefined);
  return counter;
}

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
    const { opened, current } = await this.throughDownloadUrl(attachment, options, async (url) => {
      const response = await this.transport.fetchUnauthenticated(url, options);
      if (response.ok && response.body) return { status: response.status, opened: response };
      // Not awaited: a body that was cloned (say by an instrumenting fetch) cancels only once every copy is.
      void response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    });
    return {
      body: opened.body!,
      name: current.name,
      size: Number(opened.headers.get('content-length') ?? current.size),
      contentType: opened.headers.get('content-type') ?? 'application/octet-stream',
      attachment: current,
    };
  }

  /**
   * Like `download`, with the bytes as a Node `Readable` read straight from `node:http(s)`: for
   * piping on (`stream.pipeline`) at the speed of the connection, where the web stream of
   * `download` costs about a third of the throughput. The URL is fetched with node:http(s), not
   * the client's `fetch` option; the transfer timeout bounds the wait for its headers.
   */
  async downloadStream(
    attachment: string | Attachment,
    options: DownloadOptions = {},
  ): Promise<StreamedAttachment> {
    const { opened, current } = await this.throughDownloadUrl(attachment, options, async (url) => {
      const answer = await this.transport.streamUnauthenticated(url, options);
      if (answer.status >= 200 && answer.status < 300) return { status: answer.status, opened: answer };
      answer.body.resume();
      return { status: answer.status };
    });
    const size = Number(opened.header('content-length') ?? current.size);
    return {
      body: options.onDownloadProgress ? counted(opened.body, size, options.onDownloadProgress) : opened.body,
      name: current.name,
      size,
      contentType: opened.header('content-type') ?? 'application/octet-stream',
      attachment: current,
    };
  }

  /**
   * The URL rules both downloads share: a held URL with time and uses left, else a fresh one from
   * `get`; a held URL the download host refuses is replaced once. `open` makes one request and
   * hands back what it opened when the host answered 2xx.
   */
  private async throughDownloadUrl<T>(
    attachment: string | Attachment,
    options: DownloadOptions,
    open: (url: string) => Promise<{ status: number; opened?: T }>,
  ): Promise<{ opened: T; current: Attachment }> {
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
      const { status, opened } = await open(url!);
      if (opened !== undefined) return { opened, current: current! };
      this.urls.forget(guid, options);
      if (fresh || !REFUSED_DOWNLOAD.has(status)) {
        throw new FeishuDownloadError(`Downloading attachment ${guid} failed with HTTP ${status}.`, status);
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
