// The three kinds of load the pairs use, each bounded by count and by time, each aimed at
// 127.0.0.1 only.
import autocannon from 'autocannon';
import http from 'node:http';
import { percentile } from './stats.mjs';

function loopbackOnly(url) {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1') throw new Error(`the bench loads 127.0.0.1 only, not ${hostname}`);
}

/**
 * Closed-loop maximum throughput with autocannon: `connections` keep-alive connections, each
 * sending its next request when the last answer arrives. Any error or non-2xx answer fails the
 * measurement, so a broken route cannot pass for a fast one.
 */
export async function throughput({ url, headers = {}, seconds, connections = 10 }) {
  loopbackOnly(url);
  const result = await autocannon({
    url,
    headers,
    connections,
    duration: seconds,
    // autocannon checks its clock once per sample; a second by default, too coarse for short runs.
    sampleInt: Math.min(1000, seconds * 1000),
    // A cap far above what this machine can do, so the run is bounded by count as well as time.
    maxOverallRequests: Math.max(connections, Math.ceil(seconds * 200_000)),
    timeout: 10,
  });
  if (result.errors || result.timeouts || result.non2xx || result.mismatches) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
    );
  }
  return {
    rps: result.requests.total / result.duration,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

/**
 * An open-loop load at a fixed arrival rate: request i is sent at start + i / rate whether or not
 * earlier ones have been answered. (autocannon's rate options send back to back until the
 * second's quota is used up and then pause, which measures bursts, not a steady rate.) A server
 * that falls behind is charged for the queue it builds, since no send waits for an answer.
 * Latency counts from the send, not from the due time: timers fire about once a millisecond, and
 * that lag belongs to the load generator. Bounded by count (rate × seconds) and by time
 * (seconds + timeout). Latencies in ms.
 */
export async function fixedRate({ url, headers = {}, rate, seconds, maxSockets = 64, timeoutMs = 5000 }) {
  loopbackOnly(url);
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = new Float64Array(total);
  let done = 0;
  let failed = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000 + timeoutMs;

  await new Promise((resolve) => {
    const guard = setTimeout(resolve, seconds * 1000 + timeoutMs);
    const finish = (sentAt, ok) => {
      latencies[done] = performance.now() - sentAt;
      if (!ok) failed++;
      if (++done === total) {
        clearTimeout(guard);
        resolve();
      }
    };
    const send = () => {
      const sentAt = performance.now();
      const request = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, headers },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', () => finish(sentAt, response.statusCode === 200));
          response.on('error', () => finish(sentAt, false));
        },
      );
      request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
      request.on('error', () => finish(sentAt, false));
      request.end();
    };
    // Each tick sends every request that has come due since the last one.
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + (sent * 1000) / rate <= now) {
        sent++;
        send();
      }
      if (sent < total && now < deadline) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Array.from(latencies.subarray(0, done)).sort((a, b) => a - b);
  const unanswered = total - done;
  if (failed + unanswered > 0) {
    throw new Error(`${url}: ${failed} failed and ${unanswered} unanswered of ${total} at ${rate} req/s`);
  }
  return {
    rate: done / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

/**
 * Closed-loop calls through any async function (a client method, a raw fetch): `concurrency`
 * callers, each calling again as soon as its last call settles, for `seconds` or `maxCalls`.
 * Also reports this process's CPU time per call, which is where a client's overhead shows.
 */
export async function closedLoop({ call, seconds, concurrency = 10, maxCalls = seconds * 100_000 }) {
  let calls = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline && calls < maxCalls) {
      calls++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { rps: calls / elapsed, cpuMicrosPerCall: (cpu.user + cpu.system) / calls, calls };
}
