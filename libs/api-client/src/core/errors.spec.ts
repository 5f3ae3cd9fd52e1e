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

  it.each(Object.entries(guards))('%s guard refuses the other error kinds and non-errors', (name, guard) => {
    for (const other of Object.keys(guards).filter((candidate) => candidate !== name)) {
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
