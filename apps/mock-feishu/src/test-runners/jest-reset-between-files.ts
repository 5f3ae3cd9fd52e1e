// Only the light module: this file runs in every test file's sandbox (see shared.ts).
import { resetSharedMockFeishu } from './shared.js';

// Jest's global, declared here so the emulator's build needs no test-runner types.
declare const beforeAll: (fn: () => Promise<void>) => void;

/**
 * For Jest's `setupFilesAfterEnv`: every test file starts from the seeded state. Files running
 * in parallel share the emulator, so use it with `--runInBand` (or keep files on their own tasks).
 */
beforeAll(() => resetSharedMockFeishu());
