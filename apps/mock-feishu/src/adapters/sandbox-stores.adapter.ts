import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MockFeishuSettings } from '../config/mock-feishu.settings.js';
import type { MockFeishuStore } from '../core/store/mock-feishu.store.js';
import type { SandboxInfo } from '../core/sandboxes/sandbox.js';
import { isSandboxId } from '../core/sandboxes/sandbox-id.js';
import { SandboxStores } from '../core/sandboxes/sandbox-stores.js';
import { openInMemoryStore } from './memory/in-memory.store.js';
import { openSqliteStore } from './sqlite/sqlite.store.js';

/** Where a data dir keeps its sandboxes: a folder each, `<dataDir>/sandboxes/<id>/`. */
export const SANDBOX_DIR = 'sandboxes';
const INFO_FILE = 'sandbox.json';

/** In memory, each sandbox a store of its own; nothing outlives the process. */
class InMemorySandboxStores extends SandboxStores {
  async existing(): Promise<Array<{ info: SandboxInfo; store: MockFeishuStore }>> {
    return [];
  }

  async create(): Promise<MockFeishuStore> {
    return openInMemoryStore();
  }

  // Closing an in-memory store already removed its bytes.
  async remove(): Promise<void> {}
}

/**
 * With a data dir, each sandbox is a data dir of its own (SQLite and bytes) inside it, with its
 * `sandbox.json` (id, name, its app), so a restart opens the same sandboxes with the same app.
 */
class DurableSandboxStores extends SandboxStores {
  constructor(private readonly root: string) {
    super();
  }

  async existing(): Promise<Array<{ info: SandboxInfo; store: MockFeishuStore }>> {
    if (!existsSync(this.root)) return [];
    const found: Array<{ info: SandboxInfo; store: MockFeishuStore }> = [];
    for (const id of (await readdir(this.root)).filter(isSandboxId)) {
      const info = await this.readInfo(id);
      // A folder without its info is one whose creation did not finish: nothing was handed out.
      if (!info) {
        await rm(join(this.root, id), { recursive: true, force: true });
        continue;
      }
      found.push({ info, store: await openSqliteStore({ dataDir: join(this.root, id) }) });
    }
    return found.sort((a, b) => a.info.createdAt - b.info.createdAt);
  }

  async create(info: SandboxInfo): Promise<MockFeishuStore> {
    const dir = join(this.root, info.id);
    await mkdir(dir, { recursive: true });
    const store = await openSqliteStore({ dataDir: dir });
    // Written last: its presence says the sandbox is complete (mode 0600: it holds the app secret).
    await writeFile(join(dir, INFO_FILE), JSON.stringify(info), { mode: 0o600 });
    return store;
  }

  async remove(id: string): Promise<void> {
    if (isSandboxId(id)) await rm(join(this.root, id), { recursive: true, force: true });
  }

  private async readInfo(id: string): Promise<SandboxInfo | undefined> {
    if (!isSandboxId(id)) return undefined;
    try {
      const info = JSON.parse(await readFile(join(this.root, id, INFO_FILE), 'utf8')) as SandboxInfo;
      return info.id === id && typeof info.app?.appId === 'string' ? info : undefined;
    } catch {
      return undefined;
    }
  }
}

export function sandboxStores(settings: MockFeishuSettings): SandboxStores {
  return settings.dataDir
    ? new DurableSandboxStores(join(settings.dataDir, SANDBOX_DIR))
    : new InMemorySandboxStores();
}
