import { FeishuError } from '../errors/feishu-error.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { Principal } from '../identity/identity.js';
import { Clock } from '../shared/clock.js';
import { PageTokenCodec } from '../shared/page-token.js';
import type { TaskRecord } from './task.js';
import type { CreateTaskCommand } from './task.commands.js';
import { TaskDependents } from './task-dependents.js';
import { TaskRepository, type TaskListFilter } from './task.repository.js';
import { TasksService } from './tasks.service.js';

/**
 * Tasks in a Map, whose `save` can be held open: what a slow store looks like to a second call that
 * arrives meanwhile. (The core spec does not reach for an adapter; the contracts cover those.)
 */
class HeldTaskRepository extends TaskRepository {
  readonly tasks = new Map<string, TaskRecord>();
  private number = 0;
  hold?: Promise<void>;

  async save(task: TaskRecord): Promise<void> {
    await this.hold;
    this.tasks.set(task.guid, task);
  }
  async find(guid: string) {
    return this.tasks.get(guid);
  }
  async findByClientToken(creatorKey: string, clientToken: string) {
    return [...this.tasks.values()].find((t) => t.creatorKey === creatorKey && t.clientToken === clientToken);
  }
  async delete(guid: string) {
    return this.tasks.delete(guid);
  }
  async nextTaskNumber() {
    return ++this.number;
  }
  async list() {
    return [...this.tasks.values()];
  }
  async listAfter(_filter: TaskListFilter, _afterSeq: number, _limit: number): Promise<TaskRecord[]> {
    return [];
  }
  async countSubtasks(guids: readonly string[]) {
    return new Map(guids.map((guid) => [guid, 0]));
  }
  async count() {
    return this.tasks.size;
  }
  async clear() {
    this.tasks.clear();
  }
}

class FixedClock extends Clock {
  now(): number {
    return 1_700_000_000_000;
  }
}

class NoDependents extends TaskDependents {
  async deleteAllOf(): Promise<() => Promise<void>> {
    return async () => undefined;
  }
}

const app: Principal = { kind: 'app', appId: 'cli_app' };
const command = (clientToken?: string): CreateTaskCommand => ({
  summary: 'Report',
  description: '',
  completedAt: 0,
  members: [],
  reminders: [],
  tasklists: [],
  customFields: [],
  userIdType: 'open_id',
  ...(clientToken === undefined ? {} : { clientToken }),
});

describe('TasksService.create with a client_token (task-v2/overview, 幂等调用)', () => {
  let repository: HeldTaskRepository;
  let service: TasksService;

  beforeEach(() => {
    repository = new HeldTaskRepository();
    const identity = {} as IdentityService;
    service = new TasksService(
      repository,
      new NoDependents(),
      identity,
      new PageTokenCodec('secret'),
      new FixedClock(),
    );
  });

  it('answers a second call with the same token 500/1470422 while the first is still running', async () => {
    let release: () => void = () => undefined;
    repository.hold = new Promise((resolve) => (release = resolve));

    const first = service.create(app, command('token-0001'));
    const second = await service.create(app, command('token-0001')).catch((error: unknown) => error);
    release();

    expect(second).toBeInstanceOf(FeishuError);
    expect(second).toMatchObject({ status: 500, code: 1470422 });
    expect((await first).clientToken).toBe('token-0001');
  });

  it('answers the task the token made once the first call is done, and lets other tokens run alongside', async () => {
    let release: () => void = () => undefined;
    repository.hold = new Promise((resolve) => (release = resolve));
    const first = service.create(app, command('token-0001'));
    const other = service.create(app, command('token-0002'));
    release();
    const [made, otherMade] = await Promise.all([first, other]);

    const again = await service.create(app, command('token-0001'));

    expect(again).toEqual(made);
    expect(otherMade.guid).not.toBe(made.guid);
    expect(repository.tasks.size).toBe(2);
  });
});
