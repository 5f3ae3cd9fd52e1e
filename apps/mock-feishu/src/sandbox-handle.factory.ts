import type { Sandbox } from './core/sandboxes/sandbox.js';
import type { SandboxRegistry } from './core/sandboxes/sandbox-registry.js';
import { SANDBOX_CONTROL_PREFIX } from './http/gateway/sandbox-scope.middleware.js';
import type { MockFeishuSandbox } from './sandbox-handle.js';

/** The in-process handle of one sandbox of a running emulator (`RunningMockFeishu.sandboxes`). */
export function sandboxHandle(sandbox: Sandbox, url: string, registry: SandboxRegistry): MockFeishuSandbox {
  const { clock, info } = sandbox;
  return {
    id: info.id,
    ...(info.name === undefined ? {} : { name: info.name }),
    url,
    controlUrl: `${url}${SANDBOX_CONTROL_PREFIX}/${info.id}`,
    app: { ...info.app },
    clock: {
      now: () => clock.now(),
      advance: (ms) => clock.advance(ms),
      set: (epochMs) => clock.set(epochMs),
      freeze: (frozen) => clock.freeze(frozen),
    },
    seeder: sandbox.seeder,
    reset: (options) => sandbox.seeder.reset(options),
    delete: () => registry.delete(info.id),
  };
}
