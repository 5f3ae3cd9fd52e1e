// Extensionless imports: Jest loads global setup files with plain require(), without its moduleNameMapper.
import { RUNNING } from './jest-global-setup';
import { VALIDATOR_ENV, type PrismValidator } from './prism-validator';

/** Jest `globalTeardown`: stops the run's shared Prism, if the setup started one. */
export default async function tearDownPrismValidator(): Promise<void> {
  const store = globalThis as Record<symbol, PrismValidator | undefined>;
  const validator = store[RUNNING];
  if (!validator) return;
  store[RUNNING] = undefined;
  delete process.env[VALIDATOR_ENV];
  await validator.close();
}
