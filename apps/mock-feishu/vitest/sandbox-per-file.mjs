// For Vitest's `setupFiles`: every test file gets a sandbox of its own in the run's one emulator
// (its own app, state, clock, faults and journal), removed after the file, so files run in
// parallel threads or forks without touching each other. In the file, `mockFeishuSandbox()` (from
// `@feishu-attachments/mock-feishu/shared`) gives its URL and app.
//
// An ES module, as Vitest's own API is: Vitest loads setup files from node_modules natively, and
// this file must import the same `vitest` its runner does.
import { afterAll, beforeAll, expect } from 'vitest';
import shared from '../dist/test-runners/shared.js';

const { createSharedSandbox, deleteSharedSandbox, useSharedSandbox } = shared;
let sandbox;

beforeAll(async () => {
  const testPath = expect.getState().testPath;
  sandbox = await createSharedSandbox(testPath ? testPath.split(/[\\/]/).slice(-2).join('/') : undefined);
  useSharedSandbox(sandbox);
});

afterAll(async () => {
  useSharedSandbox(undefined);
  if (sandbox) await deleteSharedSandbox(sandbox);
  sandbox = undefined;
});
