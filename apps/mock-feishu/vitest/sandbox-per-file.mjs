// For Vitest's `setupFiles`: every test file gets a sandbox of its own in the run's one emulator
// (its own app, state, clock, faults and journal), removed after the file, so files run in
// parallel threads or forks without touching each other. In the file, `mockFeishuSandbox()` (from
// `@feishu-attachments/mock-feishu/shared`) gives its URL and app.
//
// An ES module, as Vitest's own API is: Vitest loads setup files from node_modules natively, and
// this file must import the same `vitest` its runner does.
import { afterAll, beforeAll, expect } from 'vitest';
import shared from '../dist/test-runners/shared.js';

shared.sandboxPerFile({ beforeAll, afterAll, testPath: () => expect.getState().testPath });
