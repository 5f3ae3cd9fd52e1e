import type { MockFeishuStore } from '../store/mock-feishu.store.js';
import type { SandboxInfo } from './sandbox.js';

/**
 * Where sandboxes other than the default one keep their state: a store of their own each, in
 * memory or (with a data dir) in a folder of their own, so deleting one frees all it held.
 */
export abstract class SandboxStores {
  /** The sandboxes an earlier run left (durable stores only), opened. */
  abstract existing(): Promise<Array<{ info: SandboxInfo; store: MockFeishuStore }>>;
  /** A new, empty store for a new sandbox; a durable one keeps `info` beside it. */
  abstract create(info: SandboxInfo): Promise<MockFeishuStore>;
  /** Removes what a closed sandbox's store kept (its folder, its bytes). */
  abstract remove(id: string): Promise<void>;
}
