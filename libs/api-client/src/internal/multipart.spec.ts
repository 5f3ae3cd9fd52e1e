import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FeishuValidationError } from '../core/errors.js';
import { prepareUpload, type UploadFile } from './multipart.js';

const fields = { resource_type: 'task', resource_id: 'f860de3e-6881-4ddd-9321-070f36d1af0b' };

async function encodeOnce(files: UploadFile[]) {
  const source = await prepareUpload(fields, files);
  const { body, headers } = source.create();
  const bytes = Buffer.from(await new Response(body).arrayBuffer());
  const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(headers['content-type'])![1];
  return { source, bytes, headers, boundary };
}

describe('multipart encoding', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'multipart-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the resource fields, then one `file` part per file in order, then the closing boundary', async () => {
    const { bytes, boundary } = await encodeOnce([
      { name: 'a.txt', data: 'alpha', contentType: 'text/plain' },
      { name: 'b.bin', data: new Uint8Array([1, 2, 3]) },
    ]);

    const expected = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="resource_type"\r\n\r\ntask\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="resource_id"\r\n\r\n${fields.resource_id}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nalpha\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from([1, 2, 3]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(bytes.equals(expected)).toBe(true);
  });

  it('sends a UTF-8 filename as UTF-8 bytes and escapes quotes and line breaks the way browsers do', async () => {
    const { bytes } = await encodeOnce([{ name: '季度报告 "终版"\r\n.pdf', data: 'x' }]);

    expect(bytes.toString('utf8')).toContain('filename="季度报告 %22终版%22%0D%0A.pdf"');
    expect(bytes.includes(Buffer.from('季度报告', 'utf8'))).toBe(true);
  });

  it('sets Content-Length to the exact body length when every size is known', async () => {
    const path = join(dir, 'on-disk.txt');
    await writeFile(path, 'from disk');
    const { bytes, headers } = await encodeOnce([
      { name: 'a', data: 'text' },
      { name: 'b', data: new Blob(['blob bytes'], { type: 'text/csv' }) },
      { path },
      { name: 'd', stream: Readable.from([Buffer.from('streamed')]), size: 8 },
    ]);

    expect(headers['content-length']).toBe(String(bytes.length));
    const text = bytes.toString();
    expect(text).toContain('filename="b"\r\nContent-Type: text/csv\r\n\r\nblob bytes\r\n');
    expect(text).toContain(
      'filename="on-disk.txt"\r\nContent-Type: application/octet-stream\r\n\r\nfrom disk\r\n',
    );
    expect(text).toContain('\r\n\r\nstreamed\r\n');
  });

  it('leaves Content-Length out when a stream has no known size', async () => {
    const { headers, bytes } = await encodeOnce([{ name: 's', stream: Readable.from([Buffer.from('abc')]) }]);

    expect(headers['content-length']).toBeUndefined();
    expect(bytes.toString()).toContain('\r\n\r\nabc\r\n');
  });

  it('can build the body again for a retry from bytes and files, but not from a stream', async () => {
    const replayable = await prepareUpload(fields, [{ name: 'a', data: 'x' }]);
    const oneShot = await prepareUpload(fields, [{ name: 's', stream: Readable.from([Buffer.from('abc')]) }]);

    expect(replayable.replayable).toBe(true);
    expect(oneShot.replayable).toBe(false);
  });

  it('stops a stream without a size as soon as it passes 50 MiB', async () => {
    const mebibyte = Buffer.alloc(1024 * 1024, 7);
    let chunksRead = 0;
    const endless = new Readable({
      read() {
        chunksRead++;
        this.push(mebibyte);
      },
    });
    const source = await prepareUpload(fields, [{ name: 'big.bin', stream: endless }]);

    const reading = new Response(source.create().body).arrayBuffer();

    await expect(reading).rejects.toBeInstanceOf(FeishuValidationError);
    await expect(reading).rejects.toThrow(/'big\.bin' is over 52428800 bytes/);
    expect(chunksRead).toBeLessThan(60);
    endless.destroy();
  });

  it.each([
    ['no files', []],
    ['six files', Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, data: 'x' }))],
    ['a Blob one byte over 50 MiB', [{ name: 'big', data: new Blob([new Uint8Array(52428801)]) }]],
    ['a declared stream size over 50 MiB', [{ name: 's', stream: Readable.from([]), size: 52428801 }]],
    ['a path that does not exist', [{ path: '/definitely/not/here.txt' }]],
    ['bytes without a name', [{ name: '', data: 'x' }]],
  ])('refuses %s before building a body', async (_what, files) => {
    await expect(prepareUpload(fields, files as UploadFile[])).rejects.toBeInstanceOf(FeishuValidationError);
  });

  it('accepts a file of exactly 50 MiB (52 428 800 bytes) and sends every byte of it', async () => {
    const max = await encodeOnce([{ name: 'max', data: new Blob([new Uint8Array(52428800)]) }]);
    const empty = await encodeOnce([{ name: 'max', data: new Blob([]) }]);

    // The whole body streamed without the size guard stopping it, and it is as long as announced.
    expect(max.headers['content-length']).toBe(String(max.bytes.length));
    // Same parts and name, so the difference is the file's bytes alone.
    expect(max.bytes.length - empty.bytes.length).toBe(52428800);
  });
});
