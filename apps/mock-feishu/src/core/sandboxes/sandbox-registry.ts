import { randomBytes } from 'node:crypto';
import { FeishuErrors } from '../errors/feishu-errors.js';
import type { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { Sandbox, type DefaultState, type SandboxInfo } from './sandbox.js';
import { newSandboxId, sandboxIdOfCode, sandboxIdOfToken } from './sandbox-id.js';
import type { SandboxStores } from './sandbox-stores.js';

export interface NewSandbox {
  name?: string;
  /** Its app's credentials; generated when not given. */
  app?: { appId: string; appSecret: string };
}

/**
 * Every live sandbox, and the way a call finds its own from what it carries: the app id at a token
 * exchange, the token afterwards, the code in a download URL. Anything that names no live sandbox
 * goes to the default one, where it is as unknown as it would be anywhere else.
 */
export class SandboxRegistry {
  private readonly live = new Map<string, Sandbox>();
  /** App id → the sandbox holding it, learnt on first use (apps can be added through the control plane). */
  private readonly byApp = new Map<string, Sandbox>();
  private creating = 0;

  constructor(
    readonly defaultSandbox: Sandbox,
    private readonly stores: SandboxStores,
    private readonly settings: MockFeishuSettings,
    private readonly pageTokenSecret: string,
    private readonly defaultState: DefaultState | undefined,
  ) {
    this.live.set(defaultSandbox.id, defaultSandbox);
  }

  /** Opens the sandboxes a durable store kept from an earlier run. */
  async restore(): Promise<void> {
    for (const { info, store } of await this.stores.existing()) {
      const sandbox = new Sandbox(info, store, this.settings, this.pageTokenSecret);
      await sandbox.open(this.defaultState);
      this.live.set(info.id, sandbox);
    }
  }

  get(id: string): Sandbox | undefined {
    return this.live.get(id);
  }

  /** The default sandbox first, then the others oldest first. */
  list(): Sandbox[] {
    return [...this.live.values()];
  }

  async create(request: NewSandbox = {}): Promise<Sandbox> {
    const limit = this.settings.maxSandboxes;
    if (this.live.size - 1 + this.creating >= limit) throw FeishuErrors.tooManySandboxes(limit);
    this.creating += 1;
    try {
      const info: SandboxInfo = {
        id: newSandboxId(),
        ...(request.name === undefined ? {} : { name: request.name }),
        createdAt: Date.now(),
        app: request.app ?? {
          appId: `cli_${randomBytes(8).toString('hex')}`,
          appSecret: randomBytes(24).toString('base64url'),
        },
      };
      if (await this.holderOf(info.app.appId)) throw FeishuErrors.alreadyExists('app_id', info.app.appId);
      const store = await this.stores.create(info);
      const sandbox = new Sandbox(info, store, this.settings, this.pageTokenSecret);
      try {
        await sandbox.open(this.defaultState);
      } catch (error) {
        await sandbox.close();
        await this.stores.remove(info.id);
        throw error;
      }
      this.live.set(info.id, sandbox);
      return sandbox;
    } finally {
      this.creating -= 1;
    }
  }

  /** Frees all a sandbox held; false when there was none. The default sandbox cannot go. */
  async delete(id: string): Promise<boolean> {
    const sandbox = this.live.get(id);
    if (!sandbox || sandbox === this.defaultSandbox) return false;
    this.live.delete(id);
    for (const [appId, holder] of this.byApp) if (holder === sandbox) this.byApp.delete(appId);
    await sandbox.close();
    await this.stores.remove(id);
    return true;
  }

  forToken(token: string): Sandbox {
    const id = sandboxIdOfToken(token);
    return (id && this.live.get(id)) || this.defaultSandbox;
  }

  forCode(code: string): Sandbox {
    const id = sandboxIdOfCode(code);
    return (id && this.live.get(id)) || this.defaultSandbox;
  }

  /** The sandbox holding this app (the default one when none does, which then refuses it). */
  async forApp(appId: string): Promise<Sandbox> {
    return (await this.holderOf(appId)) ?? this.defaultSandbox;
  }

  /** Closes every sandbox; durable ones stay on disk for the next start. */
  async closeAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    this.byApp.clear();
    await Promise.all(all.map((sandbox) => sandbox.close()));
  }

  /** The sandbox holding this app, if any: an app id belongs to one sandbox only. */
  async holderOf(appId: string): Promise<Sandbox | undefined> {
    const known = this.byApp.get(appId);
    if (known && this.live.get(known.id) === known && (await known.identity.findApp(appId))) return known;
    this.byApp.delete(appId);
    for (const sandbox of this.live.values()) {
      if (await sandbox.identity.findApp(appId)) {
        this.byApp.set(appId, sandbox);
        return sandbox;
      }
    }
    return undefined;
  }
}
