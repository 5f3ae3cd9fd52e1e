import { Injectable } from '@nestjs/common';
import { Clock } from '../shared/clock.js';
import { newGuid } from '../shared/ids.js';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { principalKey, type Principal } from '../identity/identity.js';
import { IdentityService } from '../identity/identity.service.js';
import { canEdit, canRead, type TaskMemberRecord, type TaskRecord } from './task.js';
import type { CreateTaskCommand, MemberRef } from './task.commands.js';
import { TaskDependents } from './task-dependents.js';
import { TaskRepository } from './task.repository.js';

const MAX_MEMBERS = 50;

@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly dependents: TaskDependents,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, command: CreateTaskCommand): Promise<TaskRecord> {
    // Members are resolved first, so a bad one leaves no half-made task (or used number) behind.
    const members = await this.resolveMembers(command.members, command);
    const now = this.clock.now();
    const task: TaskRecord = {
      guid: newGuid(),
      taskId: `t${100000 + (await this.tasks.nextTaskNumber())}`,
      summary: command.summary,
      description: command.description,
      creatorKey: principalKey(principal),
      members,
      createdAt: now,
      updatedAt: now,
    };
    await this.tasks.save(task);
    return task;
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

  /** Every task, oldest first, whoever may read it: for an operator (the inspector page). */
  list(): Promise<TaskRecord[]> {
    return this.tasks.list();
  }

  async find(guid: string): Promise<TaskRecord> {
    const task = await this.tasks.find(guid);
    if (!task) throw FeishuErrors.taskNotFound();
    return task;
  }

  /** Feishu: deletion cannot be undone; the task's attachments (and their URLs) go with it. */
  async delete(principal: Principal, guid: string): Promise<void> {
    await this.getEditable(principal, guid);
    // Attachments first: a crash in between leaves a task with fewer attachments, never
    // attachments of a task that is gone. Their files go last; a start-up sweep takes leftovers.
    const afterTaskDeleted = await this.dependents.deleteAllOf(guid);
    await this.tasks.delete(guid);
    await afterTaskDeleted();
  }

  count(): Promise<number> {
    return this.tasks.count();
  }

  /** Every task goes, and `task_id` numbering starts over. */
  clear(): Promise<void> {
    return this.tasks.clear();
  }

  private async resolveMembers(
    refs: readonly MemberRef[],
    { userIdType }: CreateTaskCommand,
  ): Promise<TaskMemberRecord[]> {
    const members = new Map<string, TaskMemberRecord>();
    for (const ref of refs) {
      let key: string;
      if (ref.type === 'user') {
        const user = await this.identity.findUserBy(userIdType, ref.id);
        if (!user) throw FeishuErrors.invalidParam('members.id', `no user with ${userIdType} ${ref.id}`);
        key = `user:${user.openId}`;
      } else {
        if (!(await this.identity.findApp(ref.id)))
          throw FeishuErrors.invalidParam('members.id', `no app ${ref.id}`);
        key = `app:${ref.id}`;
      }
      members.set(`${key}|${ref.role}`, { key, role: ref.role });
    }
    if (members.size > MAX_MEMBERS)
      throw FeishuErrors.invalidParam('members', `at most ${MAX_MEMBERS} members`);
    return [...members.values()];
  }
}
