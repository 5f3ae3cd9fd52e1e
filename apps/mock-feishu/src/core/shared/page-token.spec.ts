import { createHmac } from 'node:crypto';
import { FeishuError } from '../errors/feishu-error.js';
import { PageTokenCodec } from './page-token.js';

const SECRET = 'page-token-test-secret';
const TASK = 'd3f1a2b4-0000-4000-8000-000000000001';
const OTHER_TASK = 'd3f1a2b4-0000-4000-8000-000000000002';

/** Runs `decode` and returns the Feishu error it throws, or fails the test if it does not throw one. */
function decodeError(codec: PageTokenCodec, token: string, resourceId = TASK): FeishuError {
  try {
    codec.decode(token, resourceId);
  } catch (error) {
    if (error instanceof FeishuError) return error;
    throw error;
  }
  throw new Error(`decode accepted ${JSON.stringify(token)}`);
}

/** A token signed with the secret but carrying a payload the codec never issues. */
function signed(payload: string): string {
  const encoded = Buffer.from(payload).toString('base64url');
  const signature = createHmac('sha256', SECRET).update(encoded).digest('base64url').slice(0, 22);
  return `${encoded}.${signature}`;
}

describe('PageTokenCodec', () => {
  const codec = new PageTokenCodec(SECRET);

  it('decodes a token it encoded back to the same position', () => {
    expect(codec.decode(codec.encode(TASK, 0), TASK)).toBe(0);
    expect(codec.decode(codec.encode(TASK, 42), TASK)).toBe(42);
  });

  it('treats a missing or empty token as the first page', () => {
    expect(codec.decode(undefined, TASK)).toBe(0);
    expect(codec.decode('', TASK)).toBe(0);
  });

  it('issues opaque tokens that do not show the task guid', () => {
    expect(codec.encode(TASK, 3)).not.toContain(TASK);
  });

  it('refuses a token whose signature was altered with 400/1470400 naming page_token', () => {
    const token = codec.encode(TASK, 5);
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';

    const error = decodeError(codec, token.slice(0, -1) + lastChar);

    expect(error).toMatchObject({ status: 400, code: 1470400 });
    expect(error.msg).toBe("Invalid Param 'page_token', invalid page token.");
  });

  it('refuses a token whose position was altered under the old signature', () => {
    const [, signature] = codec.encode(TASK, 5).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ r: TASK, s: 0 })).toString('base64url');

    expect(decodeError(codec, `${forgedPayload}.${signature}`).msg).toContain('invalid page token');
  });

  it('refuses a token signed with another secret', () => {
    const foreign = new PageTokenCodec('another-secret').encode(TASK, 5);

    expect(decodeError(codec, foreign).msg).toContain('invalid page token');
  });

  it('refuses a token issued for another resource, saying so', () => {
    const error = decodeError(codec, codec.encode(OTHER_TASK, 5));

    expect(error).toMatchObject({ status: 400, code: 1470400 });
    expect(error.msg).toContain('belongs to another resource');
  });

  it.each([
    ['plain text', 'garbage'],
    ['a lone dot', '.'],
    ['three segments', 'a.b.c'],
    ['a valid token with a suffix', `${new PageTokenCodec(SECRET).encode(TASK, 1)}.x`],
    ['unicode', '页.码'],
  ])('refuses garbage (%s) as an invalid page token', (_label, token) => {
    expect(decodeError(codec, token)).toMatchObject({
      status: 400,
      code: 1470400,
      msg: expect.stringContaining('invalid page token'),
    });
  });

  it.each([
    ['not JSON', 'not json'],
    ['a negative position', JSON.stringify({ r: TASK, s: -1 })],
    ['a fractional position', JSON.stringify({ r: TASK, s: 1.5 })],
    ['a string position', JSON.stringify({ r: TASK, s: '3' })],
  ])('refuses a correctly signed payload with %s', (_label, payload) => {
    expect(decodeError(codec, signed(payload)).msg).toContain('invalid page token');
  });
});
