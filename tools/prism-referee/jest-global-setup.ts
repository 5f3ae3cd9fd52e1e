// Extensionless imports: Jest loads global setup files with plain require(), without its moduleNameMapper.
import { startPrismValidator, VALIDATOR_ENV, type PrismValidator } from './prism-validator';

/** Where the teardown finds what the setup started (both run in Jest's parent process). */
export const RUNNING = Symbol.for('feishu-attachments.prism-validator');

/**
 * Jest `globalSetup` for refereed suites: one Prism for the whole run instead of one per emulator
 * (each start costs Prism about 3 s of CPU; a suite starts about twenty emulators). Workers are
 * spawned after this runs, so they inherit the address through the environment.
 */
export default async function setUpPrismValidator(): Promise<void> {
  if (process.env.PRISM_REFEREE !== '1') return;
  const validator = await startPrismValidator();
  (globalThis as Record<symbol, PrismValidator>)[RUNNING] = validator;
  process.env[VALIDATOR_ENV] = JSON.stringify({
    prismUrl: validator.prismUrl,
    replayUrl: validator.replayUrl,
  });
}
