// The native core's own handle: the one place that reports what a mock server has recorded without
// checking it (pact-js reads the same function right after the test callback).
import { getFfiLib } from '@pact-foundation/pact-core/src/ffi';

/** How long a mock server may take to record the requests it already answered. */
const SETTLE_LIMIT_MS = 5_000;

/**
 * Wraps an `executeTest` callback so that it returns only once the Pact mock server has recorded
 * every request it answered. Before pact-ffi 0.5.6 (pact-core 20.1, which needs Node 22) the mock
 * server records a match on another task after it has sent the answer, so on a busy machine
 * `executeTest`'s check can run first and call an answered request "expected but not received"
 * (pact-foundation/pact-core-mock-server#13; seen once in three runs beside two busy loops). This
 * waits until the mock server reports a full match, for at most SETTLE_LIMIT_MS: the check itself
 * stays Pact's, so a request that really is missing still fails the test, that much later.
 */
export function settled<M extends { port: number }, T>(
  testFn: (mock: M) => Promise<T>,
): (mock: M) => Promise<T> {
  return async (mock) => {
    const value = await testFn(mock);
    await matchesRecorded(mock.port);
    return value;
  };
}

async function matchesRecorded(port: number): Promise<void> {
  const ffi = getFfiLib();
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  while (!ffi.pactffiMockServerMatched(port) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
