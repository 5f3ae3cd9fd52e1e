import type { TaskRecord } from '../../core/tasks/task.js';
import type { TaskListFilter, TaskRepository } from '../../core/tasks/task.repository.js';
import { freshEach, T0, together, type OpenPort } from './port-harness.js';

/** A task record with every required field set; `number` is its task number and `seq`. */
export function taskRecord(guid: string, number: number, fields: Partial<TaskRecord> = {}): TaskRecord {
  return {
    guid,
    taskId: `t${100000 + number}`,
    seq: number,
    summary: `Task ${number}`,
    description: '',
    completedAt: 0,
    customFields: [],
    creatorKey: 'app:cli_contract',
    members: [
      { key: 'user:ou_a', role: 'assignee' },
      { key: 'app:cli_contract', role: 'follower' },
    ],
    reminders: [],
    tasklists: [],
    createdAt: T0 + number,
    updatedAt: T0 + number,
    ...fields,
  };
}

/**
 * What TaskRepository promises (core/tasks/task.repository.ts), as the task use cases and the
 * inspector rely on it: tasks found and deleted by guid or found by a creator's client_token,
 * listed oldest first, paged by `seq` per parent or per assignee, their subtasks counted; the
 * counter behind Feishu's `task_id` (never one number twice, started over by `clear`).
 */
export function describeTaskRepositoryContract(name: string, open: OpenPort<TaskRepository>): void {
  describe(`TaskRepository contract: ${name}`, () => {
    const store = freshEach(open);
    const repo = () => store.repo;

    it('finds a task with every field as saved, nested values and members in order; knows no other', async () => {
      const task = taskRecord('task-2', 2, {
        summary: 'Ship the report 报告',
        description: 'line one\nline two',
        due: { timestamp: '1700000900000', is_all_day: false },
        start: { timestamp: '1700000000000', is_all_day: true },
        completedAt: T0 + 700,
        extra: '{"k":"v"}',
        repeatRule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
        customComplete: { pc: { href: 'https://example.com/done', tip: { en_us: 'Done', zh_cn: '完成' } } },
        mode: 2,
        isMilestone: true,
        customFields: [
          { guid: 'cf-1', number_value: '10.5' },
          { guid: 'cf-2', multi_select_value: ['a', 'b'] },
        ],
        members: [
          { key: 'user:ou_b', role: 'follower' },
          { key: 'user:ou_a', role: 'assignee' },
        ],
        origin: {
          platform_i18n_name: { en_us: 'Contract' },
          href: { url: 'https://example.com', title: 'x' },
        },
        reminders: [{ id: '21', relativeFireMinute: 30 }],
        tasklists: [{ tasklist_guid: 'tl-1', section_guid: 'sec-1' }],
        parentGuid: 'task-1',
        clientToken: 'token-2',
        updatedAt: T0 + 500,
      });
      await repo().save(task);

      expect(await repo().find('task-2')).toEqual(task);
      expect(await repo().find('task-1')).toBeUndefined();
    });

    it('keeps its own copy: changing a saved task or its members afterwards changes nothing', async () => {
      const task = taskRecord('task-1', 1);
      await repo().save(task);

      task.summary = 'changed';
      task.members[0].role = 'follower';
      task.members.push({ key: 'user:ou_z', role: 'assignee' });

      expect(await repo().find('task-1')).toEqual(taskRecord('task-1', 1));
    });

    it('keeps its own copy of nested values too: times, reminders, custom fields', async () => {
      const task = taskRecord('task-1', 1, {
        due: { timestamp: '1700000900000', is_all_day: false },
        reminders: [{ id: '11', relativeFireMinute: 30 }],
        customFields: [{ guid: 'cf-1', multi_select_value: ['a'] }],
      });
      await repo().save(task);
      const saved = structuredClone(task);

      (task.due as { timestamp: string }).timestamp = '0';
      task.reminders[0].relativeFireMinute = 0;
      task.customFields[0].multi_select_value?.push('b');

      expect(await repo().find('task-1')).toEqual(saved);
    });

    it('replaces a task saved again, which is still one task', async () => {
      await repo().save(taskRecord('task-1', 1));
      const changed = taskRecord('task-1', 1, { summary: 'changed', members: [], updatedAt: T0 + 99 });

      await repo().save(changed);

      expect(await repo().find('task-1')).toEqual(changed);
      expect(await repo().list()).toEqual([changed]);
      expect(await repo().count()).toBe(1);
    });

    it('deletes a task by guid, saying whether there was one', async () => {
      await repo().save(taskRecord('task-1', 1));
      await repo().save(taskRecord('task-2', 2));

      expect(await repo().delete('task-1')).toBe(true);

      expect(await repo().find('task-1')).toBeUndefined();
      expect(await repo().list()).toEqual([taskRecord('task-2', 2)]);
      expect(await repo().delete('task-1')).toBe(false);
      expect(await repo().delete('task-9')).toBe(false);
    });

    it('lists every task oldest first; those created in one millisecond in the order they were saved', async () => {
      await repo().save(taskRecord('task-b', 1));
      await repo().save(taskRecord('task-a', 2));
      // A frozen clock: both created at the same instant.
      await repo().save(taskRecord('task-d', 3, { createdAt: T0 + 10 }));
      await repo().save(taskRecord('task-c', 4, { createdAt: T0 + 10 }));

      expect((await repo().list()).map((task) => task.guid)).toEqual([
        'task-b',
        'task-a',
        'task-d',
        'task-c',
      ]);
    });

    it('finds a task by its creator’s client_token, never by another creator’s', async () => {
      await repo().save(taskRecord('task-1', 1, { clientToken: 'token-1' }));
      await repo().save(taskRecord('task-2', 2, { clientToken: 'token-1', creatorKey: 'user:ou_b' }));
      await repo().save(taskRecord('task-3', 3));

      expect(await repo().findByClientToken('app:cli_contract', 'token-1')).toMatchObject({ guid: 'task-1' });
      expect(await repo().findByClientToken('user:ou_b', 'token-1')).toMatchObject({ guid: 'task-2' });
      expect(await repo().findByClientToken('user:ou_c', 'token-1')).toBeUndefined();
      expect(await repo().findByClientToken('app:cli_contract', 'token-2')).toBeUndefined();
    });

    describe('listAfter', () => {
      const guids = async (filter: TaskListFilter, afterSeq = 0, limit = 100) =>
        (await repo().listAfter(filter, afterSeq, limit)).map((task) => task.guid);

      it('pages a task’s subtasks by seq, whatever order they were saved in', async () => {
        await repo().save(taskRecord('parent', 1));
        await repo().save(taskRecord('sub-4', 4, { parentGuid: 'parent' }));
        await repo().save(taskRecord('sub-2', 2, { parentGuid: 'parent' }));
        await repo().save(taskRecord('other-sub', 3, { parentGuid: 'other' }));
        await repo().save(taskRecord('sub-5', 5, { parentGuid: 'parent' }));

        expect(await guids({ parentGuid: 'parent' })).toEqual(['sub-2', 'sub-4', 'sub-5']);
        expect(await guids({ parentGuid: 'parent' }, 0, 2)).toEqual(['sub-2', 'sub-4']);
        expect(await guids({ parentGuid: 'parent' }, 4, 2)).toEqual(['sub-5']);
        expect(await guids({ parentGuid: 'parent' }, 5, 2)).toEqual([]);
        expect(await guids({ parentGuid: 'sub-2' })).toEqual([]);
      });

      it('pages the tasks a member is an assignee of, all, completed or not completed', async () => {
        const assignee = [{ key: 'user:ou_x', role: 'assignee' as const }];
        await repo().save(taskRecord('open-1', 1, { members: assignee }));
        await repo().save(taskRecord('done-2', 2, { members: assignee, completedAt: T0 + 2 }));
        await repo().save(taskRecord('follower-3', 3, { members: [{ key: 'user:ou_x', role: 'follower' }] }));
        await repo().save(taskRecord('created-4', 4, { creatorKey: 'user:ou_x', members: [] }));
        await repo().save(
          taskRecord('open-5', 5, { members: [...assignee, { key: 'user:ou_y', role: 'assignee' }] }),
        );

        expect(await guids({ assigneeKey: 'user:ou_x' })).toEqual(['open-1', 'done-2', 'open-5']);
        expect(await guids({ assigneeKey: 'user:ou_x', completed: true })).toEqual(['done-2']);
        expect(await guids({ assigneeKey: 'user:ou_x', completed: false })).toEqual(['open-1', 'open-5']);
        expect(await guids({ assigneeKey: 'user:ou_x' }, 1, 1)).toEqual(['done-2']);
        expect(await guids({ assigneeKey: 'user:ou_y' })).toEqual(['open-5']);
        expect(await guids({ assigneeKey: 'user:ou_z' })).toEqual([]);
      });
    });

    it('counts the subtasks of each task asked about, 0 for one with none', async () => {
      await repo().save(taskRecord('parent-a', 1));
      await repo().save(taskRecord('parent-b', 2));
      for (const number of [3, 4, 5]) {
        await repo().save(taskRecord(`sub-a${number}`, number, { parentGuid: 'parent-a' }));
      }
      await repo().save(taskRecord('sub-c', 6, { parentGuid: 'parent-c' }));

      expect(await repo().countSubtasks(['parent-a', 'parent-b'])).toEqual(
        new Map([
          ['parent-a', 3],
          ['parent-b', 0],
        ]),
      );
      await repo().delete('sub-a4');
      expect((await repo().countSubtasks(['parent-a'])).get('parent-a')).toBe(2);
      expect(await repo().countSubtasks([])).toEqual(new Map());
    });

    it('counts the tasks', async () => {
      expect(await repo().count()).toBe(0);
      for (const number of [1, 2, 3]) await repo().save(taskRecord(`task-${number}`, number));

      expect(await repo().count()).toBe(3);
    });

    it('numbers tasks 1, 2, 3, …, and never gives two concurrent callers the same number', async () => {
      expect([await repo().nextTaskNumber(), await repo().nextTaskNumber()]).toEqual([1, 2]);

      const numbers = await together(20, () => repo().nextTaskNumber());

      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    });

    it('clears every task and starts the numbering over', async () => {
      await repo().save(taskRecord('task-1', 1));
      await repo().nextTaskNumber();
      await repo().nextTaskNumber();

      await repo().clear();

      expect(await repo().find('task-1')).toBeUndefined();
      expect(await repo().list()).toEqual([]);
      expect(await repo().count()).toBe(0);
      expect(await repo().nextTaskNumber()).toBe(1);
    });
  });
}
