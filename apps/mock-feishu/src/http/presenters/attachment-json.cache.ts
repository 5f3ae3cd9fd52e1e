import type { Attachment, Member } from '@feishu-attachments/api-client/wire';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import { RawJson } from './answer-json.js';

/** An attachment's JSON up to its URL, as written from `record` with `uploader`. */
interface Written {
  record: AttachmentRecord;
  uploader: string;
  head: string;
  tail: string;
  /** `head`, the uploader and `tail`: all but the URL and the closing brace. */
  text: string;
}

/** Enough for every page a test or the bench reads again; past it, texts are written afresh. */
const CAPACITY = 10_000;
const UPLOADER_SLOT = '"uploader":{}';

/**
 * Each attachment's JSON, written once and reused while the record's fields stay as they were
 * (a changed field writes it again), with each answer's URL put in. The text comes from the
 * presenter's own object, so field order and escaping are `JSON.stringify`'s.
 */
export class AttachmentJsonCache {
  private readonly written = new Map<string, Written>();

  /** `objectOf` is the presenter's own: the attachment with `uploader` in its place, no URL. */
  constructor(private readonly objectOf: (record: AttachmentRecord, uploader: Member) => Attachment) {}

  /** The attachment's JSON with `uploader` (the member's JSON) and, if given, its `url`. */
  text(record: AttachmentRecord, uploader: string, url?: string): RawJson<Attachment> {
    const { text } = this.parts(record, uploader);
    return new RawJson(url === undefined ? `${text}}` : `${text},"url":${JSON.stringify(url)}}`);
  }

  private parts(record: AttachmentRecord, uploader: string): Written {
    let kept = this.written.get(record.guid);
    if (!kept || !sameFields(kept.record, record)) {
      // An empty uploader marks its place: `"uploader":{}` cannot occur inside an escaped string.
      const whole = JSON.stringify(this.objectOf(record, {} as Member));
      const at = whole.indexOf(UPLOADER_SLOT);
      const head = whole.slice(0, at + UPLOADER_SLOT.length - 2);
      const tail = whole.slice(at + UPLOADER_SLOT.length, -1);
      kept = { record, uploader, head, tail, text: head + uploader + tail };
      if (this.written.size >= CAPACITY) this.written.clear();
      this.written.set(record.guid, kept);
    } else if (kept.uploader !== uploader) {
      // The same record asked for with another user_id_type.
      kept.uploader = uploader;
      kept.text = kept.head + uploader + kept.tail;
    }
    return kept;
  }
}

/** Whether two records hold the same values, field by field (a record's fields are all scalars). */
function sameFields(a: AttachmentRecord, b: AttachmentRecord): boolean {
  if (a === b) return true;
  let count = 0;
  for (const key in a) {
    if (a[key as keyof AttachmentRecord] !== b[key as keyof AttachmentRecord]) return false;
    count++;
  }
  return count === Object.keys(b).length;
}
