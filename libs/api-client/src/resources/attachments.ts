import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
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
import type { DownloadUrlCache } from '../core/download-url.cache.js';
import { FeishuDownloadError } from '../core/errors.js';
import { paginate } from '../core/pagination.js';
import { checkGuid } from '../internal/guid.js';
import { prepareUpload, type UploadFile } from '../internal/multipart.js';
import { path } from '../internal/path.js';

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
  /** The bytes as a Node stream; read it once (or destroy it). */
  body: Readable;
  name: string;
  size: number;
  contentType: string;
  attachment: Attachment;
}

/**
 * Upload, list, get, delete and download task attachments. Holds nothing of its own: the download
 * URLs it sees go to the client's one DownloadUrlCache, which also decides which URL a download uses.
 */
export class Attachments {
  constructor(
    private readonly transport: Transport,
    private readonly urls: DownloadUrlCache,
  ) {}

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
    const { response, attachment: current } = await this.open(attachment, options);
    return {
      body: response.body!,
      name: current.name,
      size: Number(response.headers.get('content-length') ?? current.size),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      attachment: current,
    };
  }

  /**
   * Like `download`, with the bytes as a Node `Readable`, for piping on with `stream.pipeline`
   * (and its backpressure) rather than reading a web stream.
   */
  async downloadStream(
    attachment: string | Attachment,
    options: DownloadOptions = {},
  ): Promise<StreamedAttachment> {
    const download = await this.download(attachment, options);
    return { ...download, body: Readable.fromWeb(download.body as NodeReadableStream<Uint8Array>) };
  }

  /** The download's answer, by the client's URL rules (DownloadUrlCache.open). */
  private async open(attachment: string | Attachment, options: DownloadOptions) {
    const guid = checkGuid(typeof attachment === 'string' ? attachment : attachment.guid, 'attachmentGuid');
    const given = typeof attachment === 'string' ? undefined : attachment;
    const opened = await this.urls.open(
      guid,
      given,
      options,
      () => this.get(guid, options),
      (url) => this.transport.download(url, options),
    );
    // A 2xx without a body (204) has nothing to download.
    if (!opened.response.body) {
      const { status } = opened.response;
      throw new FeishuDownloadError(`Downloading attachment ${guid} failed with HTTP ${status}.`, status);
    }
    return opened;
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
    const source = Readable.fromWeb(download.body as NodeReadableStream<Uint8Array>);
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
