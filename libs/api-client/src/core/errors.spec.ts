import {
  FeishuApiError,
  FeishuClientError,
  FeishuConnectionError,
  FeishuDownloadError,
  FeishuTimeoutError,
  FeishuValidationError,
  isFeishuApiError,
  isFeishuClientError,
  isFeishuConnectionError,
  isFeishuDownloadError,
  isFeishuTimeoutError,
  isFeishuValidationError,
} from './errors.js';

const guards = {
  FeishuApiError: isFeishuApiError,
  FeishuConnectionError: isFeishuConnectionError,
  FeishuTimeoutError: isFeishuTimeoutError,
  FeishuValidationError: isFeishuValidationError,
  FeishuDownloadError: isFeishuDownloadError,
};

describe('error guards', () => {
  it.each(Object.entries(guards))(
    '%s guard accepts a plain object carrying that name (another realm or copy of the library)',
    (name, guard) => {
      expect(guard({ name })).toBe(true);
      expect(isFeishuClientError({ name })).toBe(true);
    },
  );

  // A timeout is a kind of connection error (no answer either way); every other pair is distinct.
  const kindOf = (name: string, other: string) =>
    name === other || (name === 'FeishuConnectionError' && other === 'FeishuTimeoutError');

  it.each(Object.entries(guards))('%s guard refuses the other error kinds and non-errors', (name, guard) => {
    for (const other of Object.keys(guards).filter((candidate) => !kindOf(name, candidate))) {
      expect(guard({ name: other })).toBe(false);
    }
    expect(guard(new Error('plain'))).toBe(false);
    expect(guard(null)).toBe(false);
    expect(guard('FeishuApiError')).toBe(false);
  });

  it('recognises real instances and gives each its own name', () => {
    const api = new FeishuApiError({
      httpStatus: 403,
      code: 1470403,
      msg: 'no',
      request: { method: 'GET', path: '/p' },
    });
    const instances = [
      api,
      new FeishuConnectionError('refused'),
      new FeishuTimeoutError('slow', 10),
      new FeishuValidationError('bad'),
      new FeishuDownloadError('gone', 403),
    ];
    expect(instances.map((error) => error.name)).toEqual(Object.keys(guards));
    for (const error of instances) {
      expect(error).toBeInstanceOf(FeishuClientError);
      expect(isFeishuClientError(error)).toBe(true);
      expect(guards[error.name as keyof typeof guards](error)).toBe(true);
    }
    expect(isFeishuClientError({ name: 'TypeError' })).toBe(false);
  });

  it('treats a timeout as a connection error, by class and by name, but not the other way round', () => {
    const timeout = new FeishuTimeoutError('slow', 10, { cause: new Error('timer') });
    expect(timeout).toBeInstanceOf(FeishuConnectionError);
    expect(timeout).toMatchObject({ name: 'FeishuTimeoutError', timeoutMs: 10 });
    expect(isFeishuConnectionError(timeout)).toBe(true);
    expect(isFeishuConnectionError({ name: 'FeishuTimeoutError' })).toBe(true);
    expect(isFeishuTimeoutError(new FeishuConnectionError('refused'))).toBe(false);
    expect(isFeishuTimeoutError({ name: 'FeishuConnectionError' })).toBe(false);
  });
});

describe('FeishuApiError', () => {
  it('names code, status and call in its message and keeps an empty violation list by default', () => {
    const error = new FeishuApiError({
      httpStatus: 404,
      code: 1470404,
      msg: 'The attachment does not exist or has been deleted.',
      request: { method: 'DELETE', path: '/open-apis/task/v2/attachments/x' },
    });
    expect(error.message).toBe(
      'Feishu API error 1470404 (HTTP 404) on DELETE /open-apis/task/v2/attachments/x: The attachment does not exist or has been deleted.',
    );
    expect(error.permissionViolations).toEqual([]);
  });
});
