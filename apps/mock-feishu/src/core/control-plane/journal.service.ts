import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { describeCapture, type ExchangeCapture, type JournalDetail } from './journal-detail.js';

export interface JournalEntry {
  id: number;
  /** Emulator clock time the call arrived, ms since the epoch. */
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** HTTP status; 0 when the connection was dropped before an answer. */
  status: number;
  /** Feishu `code` of the answer (0 for success), when it has one. */
  code?: number;
  operation?: string;
  /** `app:<app_id>` or `user:<open_id>`; never the token itself. */
  caller?: string;
  log_id: string;
  duration_ms: number;
  /** False when the response did not finish (dropped connection, client gone). */
  completed: boolean;
}

/** An entry with what was sent and answered (headers, bodies, parts), once the call has ended. */
export interface DetailedJournalEntry extends JournalEntry {
  detail?: JournalDetail;
}

/**
 * An entry as the journal holds it: the detail stays a capture (journal-detail.ts) until someone
 * reads the entry, so a call pays no parsing or masking for a detail nobody asks for.
 */
export interface RecordedJournalEntry extends JournalEntry {
  capture?: ExchangeCapture;
}

export interface JournalFilter {
  operation?: string;
  method?: string;
  path?: string;
  limit?: number;
}

/**
 * A bounded ring of recent calls, newest last, for tests that assert what a client sent. Each
 * entry's detail is bounded too (bodies are cut at JOURNAL_BODY_LIMIT), so the ring stays small.
 * A full ring overwrites its oldest slot: dropping the oldest from the front of an array moved
 * all 1 000 entries on every call, 8 µs of the 315 µs a GET cost (findings.md).
 */
export class JournalService {
  private ring: RecordedJournalEntry[] = [];
  /** The slot of the oldest entry once the ring is full (until then, slot 0). */
  private oldest = 0;
  private nextId = 1;

  constructor(private readonly settings: MockFeishuSettings) {}

  /** Adds an entry; the returned object may still be updated while the answer streams out. */
  record(entry: Omit<JournalEntry, 'id'>): RecordedJournalEntry {
    const stored: RecordedJournalEntry = { id: this.nextId++, ...entry };
    if (this.ring.length < this.settings.journalSize) {
      this.ring.push(stored);
    } else {
      this.ring[this.oldest] = stored;
      this.oldest = (this.oldest + 1) % this.ring.length;
    }
    return stored;
  }

  /** Every entry held, oldest first. */
  private entries(): RecordedJournalEntry[] {
    return this.oldest === 0
      ? this.ring
      : [...this.ring.slice(this.oldest), ...this.ring.slice(0, this.oldest)];
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const matching = this.entries()
      .map(({ capture: _capture, ...entry }) => entry)
      .filter(
        (entry) =>
          (filter.operation === undefined || entry.operation === filter.operation) &&
          (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
          (filter.path === undefined || entry.path === filter.path),
      );
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  /** One entry with its detail, or undefined once the ring has let it go. */
  get(id: number): DetailedJournalEntry | undefined {
    // Ids are consecutive, so the entry with this id, if still held, is in a known slot.
    const back = this.nextId - 1 - id;
    const slot = (this.oldest + this.ring.length - 1 - back) % this.ring.length;
    const entry = back >= 0 && back < this.ring.length ? this.ring[slot] : undefined;
    if (entry?.id !== id) return undefined;
    const { capture, ...rest } = entry;
    return { ...structuredClone(rest), ...(capture ? { detail: describeCapture(capture) } : {}) };
  }

  clear(): void {
    this.ring = [];
    this.oldest = 0;
  }
}
