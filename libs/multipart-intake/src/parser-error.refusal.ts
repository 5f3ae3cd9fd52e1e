import { MultipartRefusal } from './multipart.refusal.js';

/** The parser's error texts are not passed on (they can quote the body); each known one gets a kind. */
export function refusalOfParserError(error: unknown): MultipartRefusal {
  const message = error instanceof Error ? error.message : '';
  if (/unexpected end/i.test(message)) return new MultipartRefusal('ended-early');
  if (/header/i.test(message)) return new MultipartRefusal('malformed-header');
  return new MultipartRefusal('malformed');
}
