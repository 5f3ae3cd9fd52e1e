import { Clock } from '../shared/clock.js';
import { newGuid } from '../shared/ids.js';
import { PageTokenCodec } from '../shared/page-token.js';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { principalKey, type Principal } from '../identity/identity.js';
import { IdentityService } from '../identity/identity.service.js';
import { canEdit, canRead, type TaskRecord } from './task.js';
import type {
  CreateTaskCommand,
  ListMyTasksQuery,
  PatchTaskCommand,
  TaskMembersCommand,
  TaskPageQuery,
} from './task.commands.js';
import { TaskDependents } from './task-dependents.js';
import { checkMemberCount, resolveMembers, withMembers, withoutMembers } from './task-members.js';
import { applyPatch, checkTaskTimes } from './task.rules.js';
import { TaskRepository, type TaskListFilter } from './task.repository.js';

export interface TaskPage {
  items: TaskRecord[];
  hasMore: boolean;
  pageToken?: string;
}

/** Every descendant at once: a delete gathers the whole subtree in one call per level. */
const ALL = Number.MAX_SAFE_INTEGER;

export class TasksService {
  /** `creator|client_token` of the creates still running (Feishu answers a second one 1470422). */
  private readonly creating = new Set<string>();

  constructor(
    private readonly tasks: TaskRepository,
    private readonly dependents: TaskDependents,
    private readonly identity: IdentityService,
    private readonly pageTokens: PageTokenCodec,
    private readonly clock: Clock,
  ) {}

  create(principal: Principal, command: CreateTaskCommand): Promise<TaskRecord> {
    return this.createOnce(principal, command);
  }

  /** Feishu: like create, under a parent the caller may edit (task-v2/task-subtask/create). */
  async createSubtask(
    principal: Principal,
    parentGuid: string,
    command: CreateTaskCommand,
  ): Promise<TaskRecord> {
    const parent = await this.getEditable(principal, parentGuid);
    return this.createOnce(principal, command, parent.guid);
  }

  /**
   * A task made for an operator (seeding): the creator is whoever the seed names, and a parent
   * need only exist; every rule of the task's own fields still applies.
   */
  async createAsOperator(
    principal: Principal,
    command: CreateTaskCommand,
    parentGuid?: string,
  ): Promise<TaskRecord> {
    if (parentGuid !== undefined) await this.find(parentGuid);
    return this.createOnce(principal, command, parentGuid);
  }

  /** A task the caller may read, or Feishu's 404 / 403. */
  async getReadable(principal: Principal, guid: string): Promise<TaskRecord> {
    const task = await this.find(guid);
    if (!canRead(task, principal)) throw FeishuErrors.permissionDenied('no read permission on the task');
    return task;
  }

  async getEditable(principal: Principal, guid: string): Promise<TaskRecord> {
    const task = await this.find(guid);
    if (!canEdit(task, principal)) throw FeishuErrors.permissionDenied('no edit permission on the task');
    return task;
  }

  async patch(principal: Principal, guid: string, command: PatchTaskCommand): Promise<TaskRecord> {
    const task = await this.getEditable(principal, guid);
    const patched = applyPatch(task, command, this.clock.now());
    if (patched !== task) await this.tasks.save(patched);
    return patched;
  }

  /** Feishu: needs edit permission; a member already there with that role is ignored. */
  async addMembers(principal: Principal, guid: string, command: TaskMembersCommand): Promise<TaskRecord> {
    const task = await this.getEditable(principal, guid);
    const added = await resolveMembers(this.identity, command.members, command.userIdType);
    return this.saveMembers(task, withMembers(task.members, added));
  }

  /** Feishu: needs edit permission; removing someone who is not a member is ignored. */
  async removeMembers(principal: Principal, guid: string, command: TaskMembersCommand): Promise<TaskRecord> {
    const task = await this.getEditable(principal, guid);
    const removed = await resolveMembers(this.identity, command.members, command.userIdType, {
      ignoreUnknown: true,
    });
    return this.saveMembers(task, withoutMembers(task.members, removed));
  }

  /**
   * Feishu: the calling user's "my tasks", the ones they are an assignee of (task-v2/task/list;
   * `type=my_tasks`, the only type). The gateway admits user tokens only.
   */
  listMine(principal: Principal, query: ListMyTasksQuery): Promise<TaskPage> {
    const assigneeKey = principalKey(principal);
    return this.page(`tasks:${assigneeKey}:${query.completed ?? ''}`, query, {
      assigneeKey,
      completed: query.completed,
    });
  }

  /** Feishu: needs read permission on the parent (task-v2/task-subtask/list). */
  async listSubtasks(principal: Principal, parentGuid: string, query: TaskPageQuery): Promise<TaskPage> {
    await this.getReadable(principal, parentGuid);
    return this.page(`subtasks:${parentGuid}`, query, { parentGuid });
  }

  /** `subtask_count` of each task. */
  subtaskCounts(guids: readonly string[]): Promise<Map<string, number>> {
    return this.tasks.countSubtasks(guids);
  }

  /** Every task, oldest first, whoever may read it: for an operator (the inspector page). */
  list(): Promise<TaskRecord[]> {
    return this.tasks.list();
  }

  async find(guid: string): Promise<TaskRecord> {
    const task = await this.tasks.find(guid);
    if (!task) throw FeishuErrors.taskNotFound();
    return task;
  }

  /**
   * Feishu: deletion cannot be undone; the task's attachments (and their URLs) go with it, and so
   * do its subtasks, with theirs (assumed: docs/fidelity.md, parity step `subtask-after-parent-delete`).
   */
  async delete(principal: Principal, guid: string): Promise<void> {
    await this.getEditable(principal, guid);
    // Deepest first, each task's attachments before the task: a crash in between leaves tasks
    // with fewer attachments or subtasks, never attachments or subtasks whose task is gone.
    // Their files go last; a start-up sweep takes leftovers.
    const doomed = [guid, ...(await this.descendantsOf(guid))].reverse();
    const afterDeleted: (() => Promise<void>)[] = [];
    for (const each of doomed) {
      afterDeleted.push(await this.dependents.deleteAllOf(each));
      await this.tasks.delete(each);
    }
    for (const removeFiles of afterDeleted) await removeFiles();
  }

  count(): Promise<number> {
    return this.tasks.count();
  }

  /** Every task goes, and `task_id` numbering starts over. */
  clear(): Promise<void> {
    return this.tasks.clear();
  }

  /**
   * Feishu (task-v2/overview, 幂等调用): the same `client_token` answers the task it made; a second
   * call while the first still runs gets 1470422. Tokens are the creator's own (assumed).
   */
  private async createOnce(
    principal: Principal,
    command: CreateTaskCommand,
    parentGuid?: string,
  ): Promise<TaskRecord> {
    const creatorKey = principalKey(principal);
    if (command.clientToken === undefined) return this.build(creatorKey, command, parentGuid);
    const running = `${creatorKey}|${command.clientToken}`;
    if (this.creating.has(running)) throw FeishuErrors.clientTokenInFlight();
    this.creating.add(running);
    try {
      const earlier = await this.tasks.findByClientToken(creatorKey, command.clientToken);
      return earlier ?? (await this.build(creatorKey, command, parentGuid));
    } finally {
      this.creating.delete(running);
    }
  }

  private async build(
    creatorKey: string,
    command: CreateTaskCommand,
    parentGuid?: string,
  ): Promise<TaskRecord> {
    checkTaskTimes(command, command.reminders.length);
    // Members are resolved first, so a bad one leaves no half-made task (or used number) behind.
    const members = await resolveMembers(this.identity, command.members, command.userIdType);
    checkMemberCount(members);
    const now = this.clock.now();
    const seq = await this.tasks.nextTaskNumber();
    const task: TaskRecord = {
      guid: newGuid(),
      taskId: `t${100000 + seq}`,
      seq,
      summary: command.summary,
      description: command.description,
      completedAt: command.completedAt,
      creatorKey,
      members,
      // Feishu gives each reminder an id; the emulator's are the task's number and the reminder's.
      reminders: command.reminders.map((minutes, index) => ({
        id: `${seq}${index + 1}`,
        relativeFireMinute: minutes,
      })),
      tasklists: command.tasklists,
      customFields: command.customFields,
      createdAt: now,
      updatedAt: now,
    };
    const optional = {
      due: command.due,
      start: command.start,
      extra: command.extra,
      repeatRule: command.repeatRule,
      customComplete: command.customComplete,
      mode: command.mode,
      isMilestone: command.isMilestone,
      origin: command.origin,
      parentGuid,
      clientToken: command.clientToken,
    };
    // Unset fields stay absent rather than `undefined`, as the stores give them back.
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) Object.assign(task, { [key]: value });
    await this.tasks.save(task);
    return task;
  }

  private async saveMembers(task: TaskRecord, members: TaskRecord['members']): Promise<TaskRecord> {
    if (members.length === task.members.length && members.every((m, i) => m === task.members[i])) return task;
    const changed = { ...task, members, updatedAt: this.clock.now() };
    await this.tasks.save(changed);
    return changed;
  }

  private async page(scope: string, query: TaskPageQuery, filter: TaskListFilter): Promise<TaskPage> {
    const afterSeq = this.pageTokens.decode(query.pageToken, scope);
    const rows = await this.tasks.listAfter(filter, afterSeq, query.pageSize + 1);
    const items = rows.slice(0, query.pageSize);
    const hasMore = rows.length > query.pageSize;
    return {
      items,
      hasMore,
      pageToken: hasMore ? this.pageTokens.encode(scope, items[items.length - 1].seq) : undefined,
    };
  }

  private async descendantsOf(guid: string): Promise<string[]> {
    const found: string[] = [];
    let level = [guid];
    while (level.length > 0) {
      const next: string[] = [];
      for (const parentGuid of level) {
        for (const child of await this.tasks.listAfter({ parentGuid }, 0, ALL)) next.push(child.guid);
      }
      found.push(...next);
      level = next;
    }
    return found;
  }
}
