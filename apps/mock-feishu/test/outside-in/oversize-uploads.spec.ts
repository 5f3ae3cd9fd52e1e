import * as lark from '@larksuiteoapi/node-sdk';
import { createReadStream } from 'node:fs';
import { itShowsNoInsidesInAnyAnswer, recordAnswer } from './support/answer-ledger.js';
import { bigFiles, MAX_FILE_BYTES } from './support/big-files.js';
import { curl, describeCurl, type CurlResult } from './support/curl.js';
import {
  blobFiles,
  createTask,
  newBlobFiles,
  officialSdkClient,
  startEmulator,
  tenantToken,
  type Emulator,
} from './support/emulator.js';

/**
 * A file part over Feishu's 50 MiB limit, sent by the clients developers use, gets its answer:
 * HTTP 400, code 1470400, a msg naming 'file' — not a reset connection, a broken pipe or silence —
 * and leaves nothing in the emulator's blob folder. (The emulator refuses as soon as the limit is
 * crossed, while the client is still sending; the answer must still reach the client.)
 */

const UPLOAD_PATH = '/open-apis/task/v2/attachments/upload';
/** How far past the limit the file goes: a byte, a page, a socket buffer, a MiB. */
const OVERS = [1, 4_096, 32_768, 1_048_576];

const refusalOfFile = { code: 1470400, msg: expect.stringContaining("'file'") };

/**
 * Bounds, not durations under test: each client gives up after 30 s (curl -m 30, the fetch signal,
 * the SDK's axios timeout), so a silent emulator fails a test instead of blocking the run; Jest's
 * own bound sits above the client's so the failure shows what the client saw.
 */
const CLIENT_BOUND_MS = 30_000;
const ONE_CALL_TEST_MS = CLIENT_BOUND_MS + 15_000;

/** What a caller saw, in one comparable shape (an error is an outcome too, with its cause). */
interface Outcome {
  status?: number;
  code?: unknown;
  msg?: unknown;
  failure?: string;
}

function outcomeOfCurl(result: CurlResult): Outcome {
  if (result.exitCode !== 0 || result.status === 0) return { failure: describeCurl(result) };
  let json: { code?: unknown; msg?: unknown } | undefined;
  try {
    json = JSON.parse(result.body);
  } catch {
    return { status: result.status, failure: `not JSON: ${result.body.slice(0, 200)}` };
  }
  return { status: result.status, code: json?.code, msg: json?.msg };
}

describe('an oversize file part gets its 400 answer, whatever the client', () => {
  let files: ReturnType<typeof bigFiles>;
  let feishu: Emulator;
  let token: string;
  let taskGuid: string;
  const pathFor = new Map<number, string>();

  beforeAll(async () => {
    // Made here, not at collection: a run that filters every test out must leave nothing behind.
    files = bigFiles('mock-feishu-oversize-');
    for (const over of OVERS) pathFor.set(over, files.make(`over-${over}.bin`, MAX_FILE_BYTES + over));
    // The durable store writes `<key>.part` first: a refusal must not leave one behind either.
    // Rate limits off: the upload API allows 10 calls a second, and this file makes ~20 quickly.
    feishu = await startEmulator({ durable: true, rateLimits: false });
    token = await tenantToken(feishu);
    taskGuid = await createTask(feishu, token, 'oversize uploads');
  });

  afterAll(async () => {
    await feishu?.close();
    files?.remove();
  });

  const curlUpload = (path: string, extra: string[] = []) =>
    curl([
      '-X',
      'POST',
      `${feishu.url}${UPLOAD_PATH}`,
      '-H',
      `Authorization: Bearer ${token}`,
      ...extra,
      '-F',
      `resource_id=${taskGuid}`,
      '-F',
      `file=@${path}`,
    ]);

  describe.each(OVERS)('a file of 52 428 800 + %i bytes', (over) => {
    it(
      "sent by curl as it is (Expect: 100-continue) is answered 400/1470400 naming 'file', leaving no blob",
      async () => {
        const before = blobFiles(feishu);

        const outcome = outcomeOfCurl(await curlUpload(pathFor.get(over) as string));

        expect(outcome).toEqual({ status: 400, ...refusalOfFile });
        expect(newBlobFiles(before, blobFiles(feishu))).toEqual([]);
      },
      ONE_CALL_TEST_MS,
    );

    it(
      "sent by curl without Expect (-H 'Expect:') is answered 400/1470400 naming 'file', leaving no blob",
      async () => {
        const before = blobFiles(feishu);

        const outcome = outcomeOfCurl(await curlUpload(pathFor.get(over) as string, ['-H', 'Expect:']));

        expect(outcome).toEqual({ status: 400, ...refusalOfFile });
        expect(newBlobFiles(before, blobFiles(feishu))).toEqual([]);
      },
      ONE_CALL_TEST_MS,
    );
  });

  it(
    'answers curl 400 ten times in a row for a file one byte over, leaving no blob',
    async () => {
      const before = blobFiles(feishu);
      const outcomes: Outcome[] = [];
      for (let attempt = 1; attempt <= 10; attempt++) {
        const outcome = outcomeOfCurl(await curlUpload(pathFor.get(1) as string));
        outcomes.push(outcome);
        // The first miss says all; the rest would only repeat it.
        if (outcome.status !== 400) break;
      }

      expect(outcomes).toEqual(Array.from({ length: 10 }, () => ({ status: 400, ...refusalOfFile })));
      expect(newBlobFiles(before, blobFiles(feishu))).toEqual([]);
    },
    10 * CLIENT_BOUND_MS + 15_000,
  );

  it(
    "answers Node's fetch (undici, FormData with a Blob of 50 MiB + 1) with 400/1470400, not 'fetch failed'",
    async () => {
      const before = blobFiles(feishu);
      const form = new FormData();
      form.append('resource_id', taskGuid);
      form.append('file', new Blob([new Uint8Array(MAX_FILE_BYTES + 1)]), 'big.bin');

      let outcome: Outcome;
      try {
        const response = await fetch(`${feishu.url}${UPLOAD_PATH}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: form,
          signal: AbortSignal.timeout(CLIENT_BOUND_MS),
        });
        const text = await response.text();
        recordAnswer(`fetch POST ${UPLOAD_PATH}`, { status: response.status, body: text });
        const json = JSON.parse(text) as { code?: unknown; msg?: unknown };
        outcome = { status: response.status, code: json.code, msg: json.msg };
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        outcome = { failure: `${(error as Error).message} (${cause?.code ?? cause?.message ?? 'no cause'})` };
      }

      expect(outcome).toEqual({ status: 400, ...refusalOfFile });
      expect(newBlobFiles(before, blobFiles(feishu))).toEqual([]);
    },
    ONE_CALL_TEST_MS,
  );

  /** The official SDK's upload of `path`, as what the caller saw. */
  async function sdkUpload(client: lark.Client, path: string): Promise<Outcome> {
    try {
      await client.task.v2.attachment.upload({
        data: { resource_id: taskGuid, file: createReadStream(path) },
      });
      return { failure: 'the SDK resolved: the upload was accepted' };
    } catch (error) {
      const axiosError = error as {
        name?: string;
        code?: string;
        message?: string;
        response?: { status: number; data: any };
      };
      if (!axiosError.response)
        return {
          failure: `no answer: ${axiosError.name} ${axiosError.code ?? ''} ${axiosError.message ?? ''}`,
        };
      recordAnswer(`sdk POST ${UPLOAD_PATH}`, {
        status: axiosError.response.status,
        body: JSON.stringify(axiosError.response.data),
      });
      return {
        status: axiosError.response.status,
        code: axiosError.response.data?.code,
        msg: axiosError.response.data?.msg,
        ...(axiosError.name === 'AxiosError' ? {} : { failure: `not an AxiosError: ${axiosError.name}` }),
      };
    }
  }

  // Five in a row: the unanswered upload this guards against was intermittent (about one in two).
  it(
    'answers the official node SDK (a read stream of 50 MiB + 1) with an AxiosError carrying 400/1470400, five times in a row',
    async () => {
      const before = blobFiles(feishu);
      const client = officialSdkClient(feishu);
      // Only a bound, so that silence fails the test instead of blocking it.
      lark.defaultHttpInstance.defaults.timeout = CLIENT_BOUND_MS;

      const outcomes: Outcome[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const outcome = await sdkUpload(client, pathFor.get(1) as string);
        outcomes.push(outcome);
        if (outcome.status !== 400) break;
      }

      expect(outcomes).toEqual(Array.from({ length: 5 }, () => ({ status: 400, ...refusalOfFile })));
      expect(newBlobFiles(before, blobFiles(feishu))).toEqual([]);
    },
    5 * CLIENT_BOUND_MS + 15_000,
  );

  itShowsNoInsidesInAnyAnswer();
});
