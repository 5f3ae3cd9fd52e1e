import type { Sandbox } from '../../core/sandboxes/sandbox.js';
import { FeishuWirePresenter } from './feishu-wire.presenter.js';
import { TaskWirePresenter } from './task-wire.presenter.js';

/** The presenters over one sandbox's state (they look users and attachments up in it). */
export interface SandboxPresenters {
  wire: FeishuWirePresenter;
  tasks: TaskWirePresenter;
}

// Made once per sandbox and let go with it.
const made = new WeakMap<Sandbox, SandboxPresenters>();

export function presentersOf(sandbox: Sandbox): SandboxPresenters {
  let presenters = made.get(sandbox);
  if (!presenters) {
    const wire = new FeishuWirePresenter(sandbox.identity);
    presenters = { wire, tasks: new TaskWirePresenter(sandbox.tasks, sandbox.attachments, wire) };
    made.set(sandbox, presenters);
  }
  return presenters;
}
