import type { Request, Response } from 'express';
import { injectTaskGuidIntoUploads, replacePart } from './multipart-state-injection.js';

const BOUNDARY = '----pact-boundary';
const EXAMPLE_GUID = 'f860de3e-6881-4ddd-9321-070f36d1af0b';
const STATE_GUID = '0b4a1b7e-3c1d-4f5e-9a2b-7c6d5e4f3a2b';
const BINARY = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0x7f]);

function upload(resourceId: string): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="resource_type"\r\n\r\ntask\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="resource_id"\r\n\r\n${resourceId}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
      'latin1',
    ),
    BINARY,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1'),
  ]);
}

function filtered(body: Buffer, contentType: string, values: Record<string, string>) {
  const req = { headers: { 'content-type': contentType }, body } as unknown as Request;
  const next = jest.fn();
  injectTaskGuidIntoUploads(() => values)(req, {} as Response, next);
  expect(next).toHaveBeenCalledTimes(1);
  return req;
}

describe('replacePart', () => {
  it('replaces the value of the named part and keeps every other byte, binary file content included', () => {
    expect(replacePart(upload(EXAMPLE_GUID), BOUNDARY, 'resource_id', STATE_GUID)).toEqual(
      upload(STATE_GUID),
    );
  });

  it('leaves a body without that part as it is', () => {
    const body = upload(EXAMPLE_GUID);
    expect(replacePart(body, BOUNDARY, 'resource_ids', STATE_GUID)).toBe(body);
  });
});

describe('injectTaskGuidIntoUploads', () => {
  it("puts the provider state's taskGuid into resource_id and corrects Content-Length", () => {
    const req = filtered(upload(EXAMPLE_GUID), `multipart/form-data; boundary=${BOUNDARY}`, {
      taskGuid: 'short-guid',
    });
    expect(req.body).toEqual(upload('short-guid'));
    expect(req.headers['content-length']).toBe(String(upload('short-guid').length));
  });

  it('leaves JSON requests and states without a taskGuid alone', () => {
    const json = Buffer.from(`{"resource_id":"${EXAMPLE_GUID}"}`);
    expect(filtered(json, 'application/json', { taskGuid: STATE_GUID }).body).toBe(json);
    const body = upload(EXAMPLE_GUID);
    expect(filtered(body, `multipart/form-data; boundary=${BOUNDARY}`, {}).body).toBe(body);
  });
});
