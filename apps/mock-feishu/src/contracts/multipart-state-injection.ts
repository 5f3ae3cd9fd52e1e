import type { RequestHandler } from 'express';
import type { StateValues } from './strict-states.js';

/**
 * Pact's provider-state generators reach paths, queries, headers and JSON bodies but not
 * multipart bodies, so an upload would be replayed to the consumer's example task guid. This
 * request filter (Pact's `requestFilter`) does for the `resource_id` part what
 * `fromProviderState('${taskGuid}')` does elsewhere: it puts in the task the current provider
 * state created. Nothing else is touched.
 */
export function injectTaskGuidIntoUploads(current: () => StateValues): RequestHandler {
  return (req, _res, next) => {
    const contentType = req.headers['content-type'] ?? '';
    const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    const taskGuid = current().taskGuid;
    if (boundary && taskGuid && Buffer.isBuffer(req.body)) {
      req.body = replacePart(req.body, boundary, 'resource_id', taskGuid);
      req.headers['content-length'] = String(req.body.length);
    }
    next();
  };
}

/** The body with the value of the text part `name` replaced; other bytes are kept as they are. */
export function replacePart(body: Buffer, boundary: string, name: string, value: string): Buffer {
  // latin1 maps every byte to one character and back, so file bytes survive the round trip.
  const text = body.toString('latin1');
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const part = new RegExp(
    `(Content-Disposition: form-data; name="${escaped(name)}"\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n)[\\s\\S]*?(\\r\\n--${escaped(boundary)})`,
    'i',
  );
  if (!part.test(text)) return body;
  return Buffer.from(
    text.replace(part, (_match, head: string, tail: string) => `${head}${value}${tail}`),
    'latin1',
  );
}
