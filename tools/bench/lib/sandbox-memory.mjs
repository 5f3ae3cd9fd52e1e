#!/usr/bin/env node
// Memory of idle sandboxes: an emulator started in this process (its built dist), then `count`
// sandboxes made and left alone, then all deleted. Run with --expose-gc: every figure is taken
// after full collections, so it is what the sandboxes keep alive, not garbage not yet collected.
//   node --expose-gc tools/bench/lib/sandbox-memory.mjs '{"host":"127.0.0.1","count":200}'
// Prints one JSON line: heap and RSS before, with the sandboxes, and after deleting them (bytes).
import { startMockFeishu } from '@feishu-attachments/mock-feishu';

const { host, count } = JSON.parse(process.argv[2]);
if (typeof globalThis.gc !== 'function') {
  console.error('sandbox-memory: run with node --expose-gc');
  process.exit(2);
}

/** Full collections until the heap stops shrinking (at most five), with the event loop let run between. */
async function settled() {
  let previous = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc();
    const { heapUsed } = process.memoryUsage();
    if (heapUsed >= previous) break;
    previous = heapUsed;
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

const feishu = await startMockFeishu({ host, port: 0, maxSandboxes: count });
try {
  // Code that only a sandbox's creation and deletion run is compiled (and its caches filled)
  // before the baseline, so the growth is the sandboxes' own.
  for (let index = 0; index < Math.min(count, 20); index++) await (await feishu.sandboxes.create()).delete();
  const before = await settled();
  // Only the ids are kept: a handle holds its sandbox's seeder, and with it the whole sandbox.
  const ids = [];
  for (let index = 0; index < count; index++) ids.push((await feishu.sandboxes.create()).id);
  const idle = await settled();
  for (const id of ids) await feishu.sandboxes.delete(id);
  const deleted = await settled();
  console.log(JSON.stringify({ count, before, idle, deleted }));
} finally {
  await feishu.close();
}
