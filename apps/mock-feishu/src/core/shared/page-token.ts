import { createHmac, timingSafeEqual } from 'node:crypto';
import { FeishuErrors } from '../errors/feishu-errors.js';

/**
 * Opaque, signed keyset cursors: `base64url({r: resource_id, s: last seq})` and an HMAC. A cursor
 * names the last item a page returned (an attachment's upload seq, a task's creation seq), so
 * items added between pages are neither skipped nor repeated, and a token the emulator did not
 * issue (or issued for another list: another task's attachments or subtasks, another caller's
 * tasks) is refused. `resourceId` names that list.
 */
export class PageTokenCodec {
  constructor(private readonly secret: string) {}

  encode(resourceId: string, afterSeq: number): string {
    const payload = Buffer.from(JSON.stringify({ r: resourceId, s: afterSeq })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The seq to continue after; an empty token means the first page. */
  decode(token: string | undefined, resourceId: string): number {
    if (token === undefined || token === '') return 0;
    const invalid = () => FeishuErrors.invalidParam('page_token', 'invalid page token');
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    let parsed: { r?: unknown; s?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (parsed.r !== resourceId) {
      throw FeishuErrors.invalidParam('page_token', 'the page token belongs to another resource');
    }
    if (typeof parsed.s !== 'number' || !Number.isSafeInteger(parsed.s) || parsed.s < 0) throw invalid();
    return parsed.s;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 22);
  }
}
