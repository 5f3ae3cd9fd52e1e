import type { ClockStateRepository } from '../../core/shared/clock-state.repository.js';
import { freshEach, T0, type OpenPort } from './port-harness.js';

/**
 * What ClockStateRepository promises (core/shared/clock-state.repository.ts), as the emulator's
 * start relies on it: nothing on a fresh store, else the clock's offset and freeze as last saved.
 * (That a durable store keeps it across a restart is mock-feishu-store.contract.ts's part.)
 */
export function describeClockStateRepositoryContract(
  name: string,
  open: OpenPort<ClockStateRepository>,
): void {
  describe(`ClockStateRepository contract: ${name}`, () => {
    const store = freshEach(open);
    const repo = () => store.repo;

    it('loads nothing from a fresh store', async () => {
      expect(await repo().load()).toBeUndefined();
    });

    it('loads a running clock’s offset, including a negative one', async () => {
      await repo().save({ offsetMs: -3_600_000 });

      expect(await repo().load()).toEqual({ offsetMs: -3_600_000 });
    });

    it('loads a frozen clock’s instant with its offset', async () => {
      await repo().save({ offsetMs: 5_000, frozenAt: T0 });

      expect(await repo().load()).toEqual({ offsetMs: 5_000, frozenAt: T0 });
    });

    it('loads only the last state saved: a thawed clock is no longer frozen', async () => {
      await repo().save({ offsetMs: 5_000, frozenAt: T0 });
      await repo().save({ offsetMs: 7_000 });

      const loaded = await repo().load();
      expect(loaded).toEqual({ offsetMs: 7_000 });
      expect(loaded?.frozenAt).toBeUndefined();
    });
  });
}
