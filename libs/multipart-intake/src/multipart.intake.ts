// The named export: under Node's ES module rules the default import of this CommonJS package is its
// whole module.exports object, not the function.
import { Busboy, type BusboyFileStream, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { FieldGuard } from './field.guard.js';
import { decodeFormDataName } from './form-data-name.decode.js';
import { idleBodyTimer } from './idle-body.timer.js';
import type { IntakeOptions, PartHead, ReceivedFile, ReceivedForm } from './intake.options.js';
import { MultipartRefusal } from './multipart.refusal.js';
import { refusalOfParserError } from './parser-error.refusal.js';

const MULTIPART_FORM_DATA = /^multipart\/form-data/i;

/** busboy's own rule, which the intake keeps unless told otherwise. */
const hasFilenameOrBinaryType = (part: PartHead) =>
  part.filename !== undefined || part.contentType === 'application/octet-stream';

const decoded = (name: string | undefined) => (name === undefined ? undefined : decodeFormDataName(name));

/**
 * Takes a multipart/form-data body in as it arrives: file parts stream into `options.sink`, text
 * fields are kept (and checked as they come), and every limit is enforced as the bytes arrive. The
 * promise rejects as soon as one is crossed, with a `MultipartRefusal` (or what `checkField` or the
 * sink threw), once the aborted writes have settled and the files already stored are removed, and
 * without reading the rest of the body: the caller answers while the client may still be sending
 * (see `closeAfterAnswer`). A streaming parser directly rather than multer: multer reads a refused
 * body to its end before it reports the limit, and has no idle timeout. @fastify/busboy rather than
 * busboy 1.x: only it lets the caller say which parts are files (`isFile`), so a file part without
 * a filename (the official Python SDK's) is not taken for a text field.
 */
export function receiveMultipart(req: IncomingMessage, options: IntakeOptions): Promise<ReceivedForm> {
  return new Promise((resolve, reject) => {
    const { limits, sink, fileField } = options;
    const isFile = options.isFile ?? hasFilenameOrBinaryType;
    // busboy would take an urlencoded body too.
    if (!MULTIPART_FORM_DATA.test(req.headers['content-type'] ?? '')) {
      reject(new MultipartRefusal('not-multipart'));
      return;
    }
    let parser: BusboyInstance;
    try {
      parser = Busboy({
        headers: req.headers as BusboyHeaders,
        isPartAFile: (field, contentType, filename) =>
          isFile({
            field: decoded(field),
            filename: decoded(filename),
            contentType: contentType ?? 'text/plain',
          }),
        // @fastify/busboy reports the part (or byte) that goes past each limit, so "at most N" is N.
        limits: {
          files: limits.files,
          fileSize: limits.fileSize,
          fields: limits.fields,
          parts: limits.parts,
          fieldSize: limits.fieldSize,
        },
      });
    } catch {
      // The only thing left that the parser refuses up front: no boundary in the Content-Type.
      reject(new MultipartRefusal('no-boundary'));
      return;
    }

    const fields: Record<string, string | string[]> = Object.create(null);
    const files: ReceivedFile[] = [];
    const fileStreams: BusboyFileStream[] = [];
    const writes: Promise<void>[] = [];
    const storedKeys: string[] = [];
    // Stops every sink write at a refusal, whatever state its part stream is in.
    const abort = new AbortController();
    let settled = false;
    const guard = new FieldGuard(limits.fieldSize, () =>
      fileStreams.reduce((sum, stream) => sum + stream.bytesRead, 0),
    );

    const detach = () => {
      idle.stop();
      req.off('data', onData);
    };
    const stop = (error: unknown) => {
      if (settled) return;
      settled = true;
      detach();
      req.unpipe(parser);
      parser.removeAllListeners();
      // The parser may still report on streams it had open; nothing listens any more.
      parser.on('error', () => undefined);
      abort.abort();
      // Not at once: stop can run inside the parser's own loop, which goes on with its state.
      setImmediate(() => parser.destroy());
      // The refusal waits for the partial files to be gone, so none outlives it.
      void Promise.allSettled(writes)
        .then(() => Promise.allSettled(storedKeys.map(async (key) => sink.remove(key))))
        .then(() => reject(error));
    };
    const write = (stream: Readable): Promise<{ key: string; size: number }> => {
      try {
        return sink.write(stream, { signal: abort.signal });
      } catch (error) {
        return Promise.reject(error);
      }
    };

    const idle = idleBodyTimer(req, options.idleBodyTimeoutMs, () =>
      stop(new MultipartRefusal('stalled', { limit: options.idleBodyTimeoutMs })),
    );
    const onData = (chunk: Buffer) => {
      idle.touch();
      if (guard.overLimit(chunk.length))
        stop(new MultipartRefusal('field-too-long', { limit: limits.fieldSize }));
    };

    parser.on(
      'file',
      (rawField: string | undefined, stream, rawFilename: string | undefined, _encoding, contentType) => {
        guard.partStarted();
        fileStreams.push(stream);
        // An aborted write destroys the part midway; stop has already said why.
        stream.on('error', () => undefined);
        if (rawField === undefined) {
          stream.resume();
          return stop(new MultipartRefusal('field-name-missing'));
        }
        const field = decodeFormDataName(rawField);
        const filename = decoded(rawFilename);
        stream.on('limit', () =>
          stop(new MultipartRefusal('file-too-large', { field, filename, limit: limits.fileSize })),
        );
        if (field !== fileField) {
          stream.resume();
          return stop(new MultipartRefusal('unexpected-file-field', { field, filename }));
        }
        const file: ReceivedFile = { field, filename, contentType, key: '', size: 0 };
        files.push(file);
        writes.push(
          write(stream).then(
            (stored) => {
              file.key = stored.key;
              file.size = stored.size;
              storedKeys.push(stored.key);
            },
            // After a refusal the failed write is the refusal's doing; before one, it is the answer.
            (error: unknown) => void (settled || stop(error)),
          ),
        );
      },
    );
    parser.on(
      'field',
      (rawName: string | undefined, value: string, _nameTruncated, valueTruncated: boolean) => {
        guard.partStarted();
        if (rawName === undefined) return stop(new MultipartRefusal('field-name-missing'));
        const name = decodeFormDataName(rawName);
        if (valueTruncated)
          return stop(new MultipartRefusal('field-too-long', { field: name, limit: limits.fieldSize }));
        const before = fields[name];
        fields[name] = before === undefined ? value : [before, value].flat();
        try {
          // Checked as they come, so a refused field makes the client stop before it sends the files.
          options.checkField?.(name, fields[name]);
        } catch (error) {
          stop(error);
        }
      },
    );
    parser.on('filesLimit', () => stop(new MultipartRefusal('too-many-files', { limit: limits.files })));
    parser.on('partsLimit', () => stop(new MultipartRefusal('too-many-parts', { limit: limits.parts })));
    parser.on('fieldsLimit', () => stop(new MultipartRefusal('too-many-fields', { limit: limits.fields })));
    parser.on('error', (error: unknown) => stop(refusalOfParserError(error)));
    parser.on('finish', () => {
      if (settled) return;
      Promise.all(writes).then(() => {
        if (settled) return;
        settled = true;
        detach();
        resolve({ fields, files });
      }, stop);
    });
    req.on('data', onData);
    // The body is all in: what remains (the sink's writes) is not the caller's to stall.
    req.once('end', () => idle.stop());
    req.once('close', () => {
      if (!req.complete) stop(new MultipartRefusal('caller-gone'));
    });
    req.pipe(parser);
  });
}
