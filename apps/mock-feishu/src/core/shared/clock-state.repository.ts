import type { ClockState } from './clock.js';

/** Port for the clock's offset and freeze, so a restart does not move time back. */
export abstract class ClockStateRepository {
  abstract load(): Promise<ClockState | undefined>;
  abstract save(state: ClockState): Promise<void>;
}
