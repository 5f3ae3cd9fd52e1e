/** How far an upload or a download has come; the shape of ky's own progress events. */
export interface TransferProgress {
  /** From 0 to 1; it reaches 1 only once the last byte has passed, and stays 0 while the total is unknown. */
  percent: number;
  transferredBytes: number;
  /** The expected size in bytes; while it is unknown, the bytes so far. */
  totalBytes: number;
}

export type ProgressListener = (progress: TransferProgress) => void;

/**
 * Counts bytes as they pass and reports them as ky does for its own transfers: below 100 % until
 * the end (a size given in advance may be wrong), then one last event at 100 %.
 */
export function progressCounter(totalBytes: number, listener: ProgressListener) {
  let transferredBytes = 0;
  return {
    add(bytes: number): void {
      transferredBytes += bytes;
      const percent = totalBytes === 0 ? 0 : Math.min(transferredBytes / totalBytes, 1 - Number.EPSILON);
      listener({ percent, transferredBytes, totalBytes: Math.max(totalBytes, transferredBytes) });
    },
    done(): void {
      listener({ percent: 1, transferredBytes, totalBytes: Math.max(totalBytes, transferredBytes) });
    },
  };
}
