import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { JournalService, type JournalEntry } from './journal.service.js';

const call = (path: string): Omit<JournalEntry, 'id'> => ({
  at: 0,
  method: 'GET',
  path,
  query: {},
  status: 200,
  log_id: `log-${path}`,
  duration_ms: 1,
  completed: true,
});

function journalOf(size: number, paths: string[]): JournalService {
  const journal = new JournalService(new MockFeishuSettings({ journalSize: size }));
  for (const path of paths) journal.record(call(path));
  return journal;
}

describe('JournalService ring', () => {
  it('lists the newest journalSize calls oldest first after the ring has wrapped more than once', () => {
    const journal = journalOf(3, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);

    expect(journal.list().map((entry) => [entry.id, entry.path])).toEqual([
      [5, 'e'],
      [6, 'f'],
      [7, 'g'],
    ]);
    expect(journal.list({ limit: 2 }).map((entry) => entry.path)).toEqual(['f', 'g']);
  });

  it('finds each held entry by id and none that the ring has let go or never had', () => {
    const journal = journalOf(3, ['a', 'b', 'c', 'd', 'e']);

    expect([3, 4, 5].map((id) => journal.get(id)?.path)).toEqual(['c', 'd', 'e']);
    expect([0, 1, 2, 6, 2.5, Number.NaN].map((id) => journal.get(id))).toEqual(Array(6).fill(undefined));
  });

  it('starts empty after clear and numbers on, so an old id never names a new call', () => {
    const journal = journalOf(3, ['a', 'b', 'c', 'd']);

    journal.clear();
    expect(journal.list()).toEqual([]);
    expect(journal.get(4)).toBeUndefined();

    journal.record(call('e'));
    expect(journal.list().map((entry) => [entry.id, entry.path])).toEqual([[5, 'e']]);
    expect(journal.get(5)?.path).toBe('e');
    expect(journal.get(4)).toBeUndefined();
  });

  it('keeps a ring of one', () => {
    const journal = journalOf(1, ['a', 'b']);

    expect(journal.list().map((entry) => entry.path)).toEqual(['b']);
    expect(journal.get(2)?.path).toBe('b');
    expect(journal.get(1)).toBeUndefined();
  });
});
