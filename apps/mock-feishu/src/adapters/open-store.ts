import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockFeishuSettings } from '../config/mock-feishu.settings.js';
import { openInMemoryStore } from './memory/in-memory.store.js';
import type { MockFeishuStore } from '../core/store/mock-feishu.store.js';
import { openSqliteStore } from './sqlite/sqlite.store.js';

/**
 * A data dir means the durable SQLite store; none means memory, as fast as before. A snapshot
 * to import without a data dir goes into a temporary one, removed on close.
 */
export async function openStore(settings: MockFeishuSettings): Promise<MockFeishuStore> {
  if (settings.dataDir)
    return openSqliteStore({ dataDir: settings.dataDir, importFile: settings.importFile });
  if (!settings.importFile) return openInMemoryStore();
  const dataDir = mkdtempSync(join(tmpdir(), 'mock-feishu-import-'));
  const store = await openSqliteStore({ dataDir, importFile: settings.importFile }).catch(async (error) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...store,
    close: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
