// Extensionless import: Jest loads global setup files with plain require(), without its moduleNameMapper.
import { removeOwnPact } from './pact-file';

/** Jest `globalSetup` of the `pact` target: start from no pact of ours, keep every other consumer's. */
export default function cleanOwnPact(): void {
  if (process.env.PACT === '1') removeOwnPact();
}
