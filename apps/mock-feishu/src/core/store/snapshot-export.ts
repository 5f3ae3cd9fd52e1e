import { FeishuErrors } from '../errors/feishu-errors.js';
import type { MockFeishuStore } from './mock-feishu.store.js';

/** What an exported snapshot holds. */
export interface SnapshotSummary {
  attachments: number;
  bytes: number;
}

/**
 * The control plane's snapshot use case: the whole state (metadata and bytes) as one file. Only a
 * durable store can export one; the control plane sees this, never the store itself.
 */
export class SnapshotExport {
  constructor(private readonly store: Pick<MockFeishuStore, 'exportSnapshot'>) {}

  /** Refuses, before anything is written, when the running store cannot export. */
  ensureAvailable(): void {
    if (!this.store.exportSnapshot) throw notDurable();
  }

  writeTo(file: string): Promise<SnapshotSummary> {
    if (!this.store.exportSnapshot) throw notDurable();
    return this.store.exportSnapshot(file);
  }
}

function notDurable() {
  return FeishuErrors.invalidRequest(
    'Snapshots need a durable store: start the emulator with --data-dir (or dataDir) to export one.',
  );
}
