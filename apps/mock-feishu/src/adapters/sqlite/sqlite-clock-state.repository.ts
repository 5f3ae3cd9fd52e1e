import type { ClockState } from '../../core/shared/clock.js';
import { ClockStateRepository } from '../../core/shared/clock-state.repository.js';
import type { Database } from './sqlite-database.js';

export class SqliteClockStateRepository extends ClockStateRepository {
  private readonly statements;

  constructor(db: Database) {
    super();
    this.statements = {
      load: db.prepare(`SELECT value FROM meta WHERE key = 'clock'`).pluck(),
      save: db.prepare(
        `INSERT INTO meta (key, value) VALUES ('clock', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ),
    };
  }

  async load(): Promise<ClockState | undefined> {
    const value = this.statements.load.get() as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as ClockState);
  }

  async save(state: ClockState): Promise<void> {
    this.statements.save.run(JSON.stringify(state));
  }
}
