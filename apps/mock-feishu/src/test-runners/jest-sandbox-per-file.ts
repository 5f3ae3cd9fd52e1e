// Only the light module: this file runs in every test file's sandbox (see shared.ts).
import { sandboxPerFile } from './shared.js';

// Jest's globals, declared here so the emulator's build needs no test-runner types.
declare const beforeAll: (fn: () => Promise<void>) => void;
declare const afterAll: (fn: () => Promise<void>) => void;
declare const expect: { getState(): { testPath?: string } };

/**
 * For Jest's `setupFilesAfterEnv`: every test file gets a sandbox of its own in the run's one
 * emulator (its own app, state, clock, faults and journal), made before the file's own hooks and
 * removed after them, so files run in parallel workers without touching each other. In the file,
 * `mockFeishuSandbox()` (from `@feishu-attachments/mock-feishu/shared`) gives its URL and app.
 */
sandboxPerFile({ beforeAll, afterAll, testPath: () => expect.getState().testPath });
