// A project's own time limit for its tests when it runs as one of the root config's projects
// (jest.config.ts at the repository root): Jest reads `testTimeout` from the run's config only.
const limit = globalThis.__FEISHU_PROJECT_TEST_TIMEOUT__;
if (typeof limit === 'number') require('@jest/globals').jest.setTimeout(limit);
