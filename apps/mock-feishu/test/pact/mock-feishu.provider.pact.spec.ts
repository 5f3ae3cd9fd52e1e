import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProjectGraphAsync, readCachedProjectGraph } from '@nx/devkit';
import { Verifier } from '@pact-foundation/pact';
// The provider states ship in the package (PROVIDER_STATES, `mock-feishu verify-pacts`): one declaration.
import {
  PROVIDER_STATES,
  feishuProviderStates,
  startMockFeishu,
  type RunningMockFeishu,
} from '../../src/index.js';
import { injectTaskGuidIntoUploads } from '../../src/contracts/multipart-state-injection.js';
import { mismatchesOf } from '../../src/contracts/pact-mismatches.js';
import { strictStates } from '../../src/contracts/strict-states.js';

// Pact's native core reports usage over the network unless told not to; these runs stay offline.
process.env.PACT_DO_NOT_TRACK ??= 'true';

const PROVIDER = 'mock-feishu';
const CONSUMER_TAG = 'pact-consumer';
const PACT_DIR = resolve(__dirname, '../../../..', 'pacts');

/** Every pact in pacts/ whose provider is this emulator, written by the consumers' `pact` targets. */
function pactsForProvider(): { file: string; consumer: string; states: string[] }[] {
  const files = readdirSync(PACT_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(PACT_DIR, name));
  return files
    .map((file) => ({ file, pact: JSON.parse(readFileSync(file, 'utf8')) }))
    .filter(({ pact }) => pact.provider?.name === PROVIDER)
    .map(({ file, pact }) => ({
      file,
      consumer: pact.consumer?.name,
      states: pact.interactions.flatMap((interaction: { providerStates?: { name: string }[] }) =>
        (interaction.providerStates ?? []).map((state) => state.name),
      ),
    }));
}

/** The Nx projects that promise a pact: each must have written `pacts/<project>-mock-feishu.json`. */
async function taggedConsumers(): Promise<string[]> {
  // Under `nx run` (NX_TASK_TARGET_PROJECT set) the graph of this very run is cached on disk;
  // computing it again costs seconds of CPU.
  const graph = process.env.NX_TASK_TARGET_PROJECT
    ? readCachedProjectGraph()
    : await createProjectGraphAsync({ exitOnError: false });
  return Object.values(graph.nodes)
    .filter((node) => node.data.tags?.includes(CONSUMER_TAG))
    .map((node) => node.name)
    .sort();
}

describe('mock-feishu against the pacts of its consumers', () => {
  let feishu: RunningMockFeishu;
  const pacts = pactsForProvider();

  beforeAll(async () => {
    // Rate limits off: the verifier replays interactions back to back, and the 429 contract comes from a state.
    feishu = await startMockFeishu({ port: 0, rateLimits: false });
  });
  afterAll(() => feishu.close());

  it(`finds a pact for mock-feishu from every project tagged ${CONSUMER_TAG}`, async () => {
    const consumers = await taggedConsumers();
    const written = new Set(pacts.map((pact) => pact.consumer));

    expect(consumers).not.toHaveLength(0);
    expect(consumers.filter((consumer) => !written.has(consumer))).toEqual([]);
  });

  it('has a documented handler for every provider state the pacts name', () => {
    const known = Object.keys(feishuProviderStates(feishu));
    expect(known).toEqual(Object.keys(PROVIDER_STATES));
    const named = [...new Set(pacts.flatMap((pact) => pact.states))];
    expect(named.filter((state) => !known.includes(state))).toEqual([]);
  });

  it('honours every interaction of every pact', async () => {
    const states = strictStates(feishuProviderStates(feishu));
    const outcome: string[] = await new Verifier({
      provider: PROVIDER,
      providerBaseUrl: `http://127.0.0.1:${feishu.port}`,
      pactUrls: pacts.map((pact) => pact.file),
      stateHandlers: states.stateHandlers,
      requestFilter: injectTaskGuidIntoUploads(states.current),
      logLevel: 'warn',
    })
      .verifyProvider()
      .then(() => [], mismatchesOf);
    // Pact-js lets an interaction run on when its state failed; a failed state fails the run here too.
    expect({ mismatches: outcome, failedStates: states.failures }).toEqual({
      mismatches: [],
      failedStates: [],
    });
  });
});
