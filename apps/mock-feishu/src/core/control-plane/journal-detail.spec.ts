import {
  BodyTap,
  JOURNAL_BODY_LIMIT,
  JOURNAL_JSON_DEPTH,
  TOO_DEEP,
  describeBody,
  maskHeaders,
  maskJson,
} from './journal-detail.js';

describe('journal detail', () => {
  it('masks the Authorization value after its scheme, and cookies whole', () => {
    expect(
      maskHeaders({ Authorization: 'Bearer t-secret', cookie: 'a=b', 'set-cookie': ['c=d'], accept: '*/*' }),
    ).toEqual({ authorization: 'Bearer ***', cookie: '***', 'set-cookie': '***', accept: '*/*' });
  });

  it('masks tokens, secrets and OAuth codes in JSON, keeping Feishu’s numeric code and page tokens', () => {
    expect(
      maskJson({
        code: 0,
        tenant_access_token: 't-1',
        data: { refresh_token: 'r-1', items: [{ app_secret: 's' }], page_token: 'p-1' },
        oauth: { code: 'auth-code', client_secret: 'cs' },
      }),
    ).toEqual({
      code: 0,
      tenant_access_token: '***',
      data: { refresh_token: '***', items: [{ app_secret: '***' }], page_token: 'p-1' },
      oauth: { code: '***', client_secret: '***' },
    });
  });

  it('keeps at most JOURNAL_BODY_LIMIT bytes of a text body while counting all of it', () => {
    const tap = new BodyTap(() => true);
    tap.add('a'.repeat(JOURNAL_BODY_LIMIT - 1));
    tap.add(Buffer.from('bcd'));
    expect(tap.size).toBe(JOURNAL_BODY_LIMIT + 2);
    expect(tap.head().toString()).toBe(`${'a'.repeat(JOURNAL_BODY_LIMIT - 1)}b`);
    expect(describeBody('text/plain', tap.size, tap.head())).toMatchObject({ truncated: true });
  });

  it('keeps string chunks in their own encoding and cuts one longer than the limit', () => {
    const short = new BodyTap(() => true);
    short.add('caf\u00e9', 'latin1');
    short.add(' ok');
    expect(short.size).toBe(7);
    expect(short.head()).toEqual(Buffer.concat([Buffer.from('caf\u00e9', 'latin1'), Buffer.from(' ok')]));

    const long = new BodyTap(() => true);
    long.add('x'.repeat(JOURNAL_BODY_LIMIT * 2));
    long.add('y');
    expect(long.size).toBe(JOURNAL_BODY_LIMIT * 2 + 1);
    expect(long.head().toString()).toBe('x'.repeat(JOURNAL_BODY_LIMIT));
  });

  it('takes nothing once sealed, and asks whether to keep a body only once', () => {
    const keep = jest.fn(() => true);
    const tap = new BodyTap(keep);
    tap.add('{"a":');
    tap.add('1}');
    tap.seal();
    tap.add('more');
    expect(keep).toHaveBeenCalledTimes(1);
    expect(tap.head().toString()).toBe('{"a":1}');
  });

  it('only counts a binary body', () => {
    const tap = new BodyTap(() => false);
    tap.add(new Uint8Array(10));
    expect({ size: tap.size, kept: tap.head().length }).toEqual({ size: 10, kept: 0 });
    expect(describeBody('application/octet-stream', 10, tap.head())).toEqual({
      content_type: 'application/octet-stream',
      size: 10,
    });
  });

  it('parses a whole JSON body and masks it; keeps invalid JSON as text', () => {
    const json = Buffer.from('{"access_token":"u-1","code":0}');
    expect(describeBody('application/json; charset=utf-8', json.length, json).json).toEqual({
      access_token: '***',
      code: 0,
    });
    expect(describeBody('application/json', 3, Buffer.from('{no')).text).toBe('{no');
  });
});

describe('maskJson depth', () => {
  it('keeps JSON down to JOURNAL_JSON_DEPTH (64) levels and marks anything deeper, without overflowing', () => {
    expect(JOURNAL_JSON_DEPTH).toBe(64);
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    let masked = maskJson(deep) as unknown;
    for (let level = 0; level < JOURNAL_JSON_DEPTH; level++) masked = (masked as unknown[])[0];
    expect(masked).toBe(TOO_DEEP);
    expect(maskJson({ a: [{ b: 'c' }] })).toEqual({ a: [{ b: 'c' }] });
  });
});
