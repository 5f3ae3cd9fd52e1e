// Types only, as the package's users see a sandbox: a declaration naming the Sandbox class would make
// their type checks load every service behind it (see core/control-plane/seeder.api.ts).
import type { MockFeishuSeeder as SeederApi, ResetOptions } from './core/control-plane/seeder.api.js';

export interface NewSandboxOptions {
  /** A label for people (the inspector's picker), e.g. the test file that made it. */
  name?: string;
  /** Its app's credentials; generated when not given. An app id belongs to one sandbox only. */
  app?: { appId: string; appSecret: string };
}

/**
 * One sandbox of a running emulator, in process: an isolated Feishu tenant. Point any client at
 * `url` with `app`'s credentials and every call lands here; `controlUrl` is its `/__mock`.
 */
export interface MockFeishuSandbox {
  id: string;
  name?: string;
  /** The emulated API's base URL: the same for every sandbox (the credentials tell them apart). */
  url: string;
  /** This sandbox's control plane: `<url>/__mock/sandboxes/<id>`, with every `/__mock` route. */
  controlUrl: string;
  /** Its own app. */
  app: { appId: string; appSecret: string };
  /** Its own clock: advancing or freezing it moves no other sandbox's. */
  clock: {
    now(): number;
    advance(ms: number): number;
    set(epochMs: number): number;
    freeze(frozen: boolean): number;
  };
  seeder: SeederApi;
  reset(options?: ResetOptions): Promise<void>;
  /** Frees all it held; its tokens and URLs are unknown from then on. */
  delete(): Promise<boolean>;
}
