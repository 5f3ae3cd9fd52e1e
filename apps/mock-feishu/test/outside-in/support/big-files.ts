import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Feishu's per-file limit on upload (task-v2/attachment/upload): 50 MB, counted as 50 MiB. */
export const MAX_FILE_BYTES = 52_428_800;

/**
 * A folder of big files in the system's temp dir, made once per spec file and removed in its
 * afterAll. The files are sparse (all zeros, no disk blocks), so a 51 MiB file costs nothing.
 */
export function bigFiles(prefix = 'mock-feishu-big-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    /** A sparse file of exactly `size` bytes. */
    make(name: string, size: number): string {
      const path = join(dir, name);
      const fd = openSync(path, 'w');
      try {
        ftruncateSync(fd, size);
      } finally {
        closeSync(fd);
      }
      return path;
    },
    remove(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
