import { runSpecShard } from '@feishu-attachments/test-support/spec-shards';

// A share of the e2e specs of test/ (why they run in shards: tools/test-support/spec-shards.ts).
runSpecShard(__filename);
