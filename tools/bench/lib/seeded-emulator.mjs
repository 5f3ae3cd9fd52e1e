#!/usr/bin/env node
// The emulator started programmatically (its built dist), with large tasks seeded through its
// seeder before it listens: seeding 100 000 attachments over HTTP would take minutes.
//   node tools/bench/lib/seeded-emulator.mjs '{"host","port","tasks":{"small":100,"large":100000}}'
// State in memory; the bytes go to a temporary folder (under TMPDIR).
// Prints `seeded {"small":"<task guid>",...}` once it listens.
import { startMockFeishu } from '@feishu-attachments/mock-feishu';

const { host, port, tasks } = JSON.parse(process.argv[2]);
// Each attachment is a blob file; a few writes in flight at once roughly halve the seeding time.
const CONCURRENT_WRITES = 8;
const guids = {};

const feishu = await startMockFeishu({
  host,
  port,
  rateLimits: false,
  seed: async (seeder) => {
    for (const [key, count] of Object.entries(tasks)) {
      const taskGuid = await seeder.createTask({ summary: `${count} attachments` });
      guids[key] = taskGuid;
      let next = 0;
      const writer = async () => {
        while (next < count) {
          const index = next++;
          await seeder.addAttachment(taskGuid, { name: `file-${index}.txt`, content: 'x' });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENT_WRITES }, writer));
    }
  },
});
console.log(`seeded ${JSON.stringify(guids)}`);

const stop = () =>
  feishu.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
