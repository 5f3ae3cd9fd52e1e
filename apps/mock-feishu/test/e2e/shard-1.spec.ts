import { runE2eShard } from '../support/e2e-shard.js';

// Half of the e2e specs (see test/support/e2e-shard.ts for why they run in shards).
runE2eShard(1, 2);
