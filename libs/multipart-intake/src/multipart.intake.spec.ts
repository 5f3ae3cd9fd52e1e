import { handForm, openPost, writeUntil } from '../test/support/hand-form.js';
import { intakeServer, type IntakeServer } from '../test/support/intake.server.js';
import { MemorySink } from '../test/support/memory.sink.js';
import { FIELD_GUARD_SLACK_BYTES } from './field.guard.js';
import { MultipartRefusal, type IntakeLimits, type IntakeOptions } from './index.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** What may be on its way when a refusal comes: socket buffers of both ends and stream buffers. */
const IN_FLIGHT_BYTES = 16 * MiB;
const LIMITS: IntakeLimits = { files: 2, fileSize: 1000, fields: 3, parts: 5, fieldSize: 100 };

let server: IntakeServer | undefined;
let sink: MemorySink;

async function start(
  options: Partial<Omit<IntakeOptions, 'limits'>> & { limits?: Partial<IntakeLimits> } = {},
) {
  sink = (options.sink as MemorySink | undefined) ?? new MemorySink();
  server = await intakeServer({
    idleBodyTimeoutMs: 0,
    fileField: 'file',
    ...options,
    sink,
    limits: { ...LIMITS, ...options.limits },
  });
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends a whole body and resolves with what the intake made of it. */
async function send(body: string | Buffer, contentType: string | undefined) {
  const outcome = server!.nextOutcome();
  openPost(server!.port, contentType).end(body);
  return outcome;
}

/** The refusal the next request ends with (a form instead fails the test). */
async function refusalOf(outcome: Promise<{ error?: unknown }>): Promise<MultipartRefusal> {
  const { error } = await outcome;
  expect(error).toBeInstanceOf(MultipartRefusal);
  return error as MultipartRefusal;
}

describe('receiveMultipart', () => {
  it('takes text fields and files in part order, each file into the sink, a repeated name as its values in order', async () => {
    await start();
    const form = handForm();

    const { form: received, error } = await send(
      Buffer.concat([
        Buffer.from(form.field('note', 'a') + form.field('note', 'b')),
        form.file('one.txt', 'hello'),
        form.file('two.bin', Buffer.alloc(LIMITS.fileSize, 1)),
        Buffer.from(form.end),
      ]),
      form.contentType,
    );

    expect(error).toBeUndefined();
    expect({ ...received!.fields }).toEqual({ note: ['a', 'b'] });
    expect(received!.files).toEqual([
      { field: 'file', filename: 'one.txt', contentType: 'application/octet-stream', key: 'blob-1', size: 5 },
      {
        field: 'file',
        filename: 'two.bin',
        contentType: 'application/octet-stream',
        key: 'blob-2',
        size: LIMITS.fileSize,
      },
    ]);
    expect(sink.stored.get('blob-1')?.toString()).toBe('hello');
  });

  describe('limits, each "at most": the limit itself passes, one more is refused while the body still comes', () => {
    it('file size: refuses the byte past it, naming the part, and leaves nothing in the sink', async () => {
      await start();
      const form = handForm();
      const outcome = server!.nextOutcome();
      const req = openPost(server!.port, form.contentType);
      // Never ended: only a refusal made as the bytes arrive can settle the outcome.
      req.write(form.fileHead('big.bin') + 'x'.repeat(LIMITS.fileSize + 1));

      const refusal = await refusalOf(outcome);

      expect(refusal).toMatchObject({
        kind: 'file-too-large',
        field: 'file',
        filename: 'big.bin',
        limit: LIMITS.fileSize,
      });
      expect(sink.aborted).toBe(1);
      expect(sink.stored.size).toBe(0);
    });

    it('files: refuses the third of two, and removes the two stored', async () => {
      await start();
      const form = handForm();
      const outcome = server!.nextOutcome();
      const req = openPost(server!.port, form.contentType);
      const third = form.file('3.txt', 'three');
      // Up to the third part's delimiter, which ends the second file.
      const split = third.indexOf('\r\n');
      req.write(
        Buffer.concat([form.file('1.txt', 'one'), form.file('2.txt', 'two'), third.subarray(0, split)]),
      );
      await sink.holding(2);
      req.write(third.subarray(split));

      const refusal = await refusalOf(outcome);

      expect(refusal).toMatchObject({ kind: 'too-many-files', limit: LIMITS.files });
      expect(sink.removed.sort()).toEqual(['blob-1', 'blob-2']);
      expect(sink.stored.size).toBe(0);
    });

    it('parts: refuses the part past the limit', async () => {
      await start({ limits: { parts: 2 } });
      const form = handForm();
      const accepted = await send(form.field('a', '1') + form.field('b', '2') + form.end, form.contentType);
      expect({ ...accepted.form!.fields }).toEqual({ a: '1', b: '2' });

      const outcome = server!.nextOutcome();
      openPost(server!.port, form.contentType).write(
        form.field('a', '1') + form.field('b', '2') + form.field('c', '3'),
      );

      expect(await refusalOf(outcome)).toMatchObject({ kind: 'too-many-parts', limit: 2 });
    });

    it('fields: refuses the text field past the limit', async () => {
      await start();
      const form = handForm();
      const fields = ['a', 'b', 'c', 'd'].map((name) => form.field(name, name));
      expect((await send(fields.slice(0, 3).join('') + form.end, form.contentType)).error).toBeUndefined();

      const outcome = server!.nextOutcome();
      openPost(server!.port, form.contentType).write(fields.join(''));

      expect(await refusalOf(outcome)).toMatchObject({ kind: 'too-many-fields', limit: LIMITS.fields });
    });

    it('field size: takes a field of exactly the limit and refuses one byte more, naming the field', async () => {
      await start();
      const form = handForm();
      const exact = await send(form.field('note', 'n'.repeat(LIMITS.fieldSize)) + form.end, form.contentType);
      expect(exact.form!.fields.note).toHaveLength(LIMITS.fieldSize);

      const outcome = server!.nextOutcome();
      openPost(server!.port, form.contentType).write(
        form.field('note', 'n'.repeat(LIMITS.fieldSize + 1)) + form.fileHead('later.bin'),
      );

      expect(await refusalOf(outcome)).toMatchObject({
        kind: 'field-too-long',
        field: 'note',
        limit: LIMITS.fieldSize,
      });
    });

    it('field size: refuses a text field that never ends while it is still being sent', async () => {
      await start();
      const form = handForm();
      const outcome = server!.nextOutcome();
      const req = openPost(server!.port, form.contentType);
      req.write(form.fieldHead('note'));

      // The parser would report the field only at its end, which never comes.
      const written = await writeUntil(req, outcome, Buffer.alloc(64 * KiB, 0x61), 256 * MiB);

      expect(await refusalOf(outcome)).toMatchObject({ kind: 'field-too-long', limit: LIMITS.fieldSize });
      expect((await outcome).error).not.toHaveProperty('field', expect.anything());
      expect(written).toBeGreaterThan(LIMITS.fieldSize + FIELD_GUARD_SLACK_BYTES - 64 * KiB);
      expect(written).toBeLessThan(LIMITS.fieldSize + FIELD_GUARD_SLACK_BYTES + IN_FLIGHT_BYTES);
    });

    it('file bytes do not count towards the text field guard', async () => {
      await start({ limits: { fileSize: 4 * MiB } });
      const form = handForm();

      const { form: received, error } = await send(
        Buffer.concat([
          Buffer.from(form.field('note', 'n')),
          form.file('big.bin', Buffer.alloc(3 * MiB, 1)),
          Buffer.from(form.field('after', 'a') + form.end),
        ]),
        form.contentType,
      );

      expect(error).toBeUndefined();
      expect(received!.files.map((file) => file.size)).toEqual([3 * MiB]);
      expect({ ...received!.fields }).toEqual({ note: 'n', after: 'a' });
    });
  });

  describe('a body that stops coming', () => {
    it('is refused as stalled after the idle timeout, and its partial file is not kept', async () => {
      await start({ idleBodyTimeoutMs: 100, limits: { fileSize: MiB } });
      const form = handForm();
      const outcome = server!.nextOutcome();
      const req = openPost(server!.port, form.contentType);
      req.write(form.fileHead('slow.bin') + 'x'.repeat(1000));

      // Nothing more is sent: only the idle timeout can end this body.
      expect(await refusalOf(outcome)).toMatchObject({ kind: 'stalled', limit: 100 });
      expect(sink.aborted).toBe(1);
      expect(sink.stored.size).toBe(0);
    });

    it('is not stalled while the sink is the slow side (the body waits for it, not for the caller)', async () => {
      // The sink reads nothing for five idle timeouts; the body, sent at once, waits in the pipe.
      await start({
        idleBodyTimeoutMs: 100,
        limits: { fileSize: 4 * MiB },
        sink: new MemorySink({ startDelayMs: 500 }),
      });
      const form = handForm();

      const { form: received, error } = await send(
        Buffer.concat([form.file('big.bin', Buffer.alloc(2 * MiB, 1)), Buffer.from(form.end)]),
        form.contentType,
      );

      expect(error).toBeUndefined();
      expect(received!.files.map((file) => file.size)).toEqual([2 * MiB]);
    });
  });

  it('refuses a caller that goes away midway, after removing what it had stored', async () => {
    await start();
    const form = handForm();
    const outcome = server!.nextOutcome();
    const req = openPost(server!.port, form.contentType);
    req.write(
      Buffer.concat([
        form.file('whole.txt', 'kept until now'),
        Buffer.from(form.fileHead('half.bin') + 'x'.repeat(10)),
      ]),
    );
    await sink.holding(1);
    await sink.written(2);

    req.destroy();

    expect(await refusalOf(outcome)).toMatchObject({ kind: 'caller-gone' });
    expect(sink.removed).toEqual(['blob-1']);
    expect(sink.aborted).toBe(1);
    expect(sink.stored.size).toBe(0);
  });

  it('reports a refusal only once the stored files are removed and the aborted writes have settled', async () => {
    // Each removal takes 50 ms: a refusal reported before them would find the files still stored.
    await start({ sink: new MemorySink({ removeDelayMs: 50 }) });
    const form = handForm();
    const outcome = server!.nextOutcome();
    const req = openPost(server!.port, form.contentType);
    const third = form.fileHead('3.bin') + 'x'.repeat(10);
    // Up to the third part's delimiter, which ends the second file.
    const split = third.indexOf('\r\n');
    req.write(
      Buffer.concat([
        form.file('1.txt', 'one'),
        form.file('2.txt', 'two'),
        Buffer.from(third.slice(0, split)),
      ]),
    );
    await sink.holding(2);
    req.write(third.slice(split));

    const refusal = await refusalOf(outcome);

    expect(refusal.kind).toBe('too-many-files');
    expect(sink.stored.size).toBe(0);
    expect(sink.removed.sort()).toEqual(['blob-1', 'blob-2']);
  });

  describe('checkField', () => {
    it('sees each field as it arrives, its values so far; what it throws is the refusal, as is, before the files are taken', async () => {
      const seen: [string, string | string[]][] = [];
      const given = new Error('resource_id must be given once');
      await start({
        checkField: (name, value) => {
          seen.push([name, value]);
          if (Array.isArray(value)) throw given;
        },
      });
      const form = handForm();
      const outcome = server!.nextOutcome();
      openPost(server!.port, form.contentType).write(
        form.field('resource_id', 'a') +
          form.field('resource_id', 'b') +
          form.fileHead('a.bin') +
          'x'.repeat(500),
      );

      expect((await outcome).error).toBe(given);
      expect(seen).toEqual([
        ['resource_id', 'a'],
        ['resource_id', ['a', 'b']],
      ]);
      expect(sink.writes).toBe(0);
    });
  });

  it('decodes %22, %0D and %0A in field names and filenames (WHATWG), and leaves any other escape as sent', async () => {
    await start();
    const form = handForm();

    const { form: received } = await send(
      Buffer.concat([
        Buffer.from(form.field('say%22hi%22%0D%0Anow', 'v')),
        form.file('notes %22v2%22 100%25.md', 'x'),
        Buffer.from(form.end),
      ]),
      form.contentType,
    );

    expect(Object.keys(received!.fields)).toEqual(['say"hi"\r\nnow']);
    expect(received!.files[0].filename).toBe('notes "v2" 100%25.md');
  });

  describe('which parts are files', () => {
    const namelessFilePart = (form: ReturnType<typeof handForm>) =>
      form.fileHead(undefined, 'file', 'text/plain') + 'bytes' + form.partEnd + form.end;

    it("by default busboy's rule: a filename or application/octet-stream, so a nameless text/plain part is a field", async () => {
      await start();
      const form = handForm();

      const { form: received } = await send(namelessFilePart(form), form.contentType);

      expect({ ...received!.fields }).toEqual({ file: 'bytes' });
      expect(received!.files).toEqual([]);
    });

    it('as isFile says, given decoded names (a nameless part under the file field)', async () => {
      await start({ isFile: (part) => part.field === 'file' || part.filename !== undefined });
      const form = handForm();

      const { form: received } = await send(namelessFilePart(form), form.contentType);

      expect(received!.files).toEqual([
        { field: 'file', filename: undefined, contentType: 'text/plain', key: 'blob-1', size: 5 },
      ]);
    });
  });

  describe('refuses a body it cannot take', () => {
    it('not multipart/form-data', async () => {
      await start();
      expect(await refusalOf(send('{}', 'application/json'))).toMatchObject({ kind: 'not-multipart' });
      expect(await refusalOf(send('a=b', undefined))).toMatchObject({ kind: 'not-multipart' });
    });

    it('multipart/form-data without a boundary', async () => {
      await start();
      expect(await refusalOf(send('--x\r\n\r\n', 'multipart/form-data'))).toMatchObject({
        kind: 'no-boundary',
      });
    });

    it('a body that ends before its closing boundary', async () => {
      await start();
      const form = handForm();
      expect(await refusalOf(send(form.fileHead('a.bin') + 'xx', form.contentType))).toMatchObject({
        kind: 'ended-early',
      });
      expect(sink.stored.size).toBe(0);
    });

    it('a part without a name', async () => {
      await start();
      const form = handForm();
      const nameless = form.field('x', 'v').replace('; name="x"', '');
      expect(await refusalOf(send(nameless + form.end, form.contentType))).toMatchObject({
        kind: 'field-name-missing',
      });
    });

    it('a file part under another name, before any of its bytes reach the sink', async () => {
      await start();
      const form = handForm();
      const outcome = server!.nextOutcome();
      openPost(server!.port, form.contentType).write(form.fileHead('a.bin', 'file[]') + 'x'.repeat(500));

      expect(await refusalOf(outcome)).toMatchObject({
        kind: 'unexpected-file-field',
        field: 'file[]',
        filename: 'a.bin',
      });
      expect(sink.writes).toBe(0);
    });
  });

  it("rejects with the sink's own error when a write fails before any refusal", async () => {
    const failure = new Error('disk full');
    await start({ sink: new MemorySink({ fail: failure }) });
    const form = handForm();

    const { error } = await send(
      Buffer.concat([form.file('a.txt', 'a'), Buffer.from(form.end)]),
      form.contentType,
    );

    expect(error).toBe(failure);
  });
});
