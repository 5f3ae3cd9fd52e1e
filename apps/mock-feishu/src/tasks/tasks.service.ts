import { Injectable } from '@nestjs/common';
import {
  MAX_TASK_SUMMARY_LENGTH,
  TASK_MEMBER_ROLES,
  type TaskMemberRole,
  type UserIdType,
} from '@feishu-attachments/api-client/wire';
import { Clock } from '../common/clock.js';
import { newGuid } from '../common/ids.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { principalKey, type Principal } from '../identity/identity.js';
import { IdentityService } from '../identity/identity.service.js';
import { AttachmentRepository } from '../attachments/attachment.repository.js';
import { BlobStore } from '../blobs/blob-store.js';
import { canEdit, canRead, type TaskMemberRecord, type TaskRecord } from './task.js';
import { TaskRepository } from './task.repository.js';

const MAX_MEMBERS = 50;
const MAX_DESCRIPTION_LENGTH = 3000;

@Injectable()
export class TasksService {
  private taskNumber = 0;

  constructor(
    private readonly tasks: TaskRepository,
    private readonly attachments: AttachmentRepository,
    private readonly blobs: BlobStore,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
  ) {}

  create(principal: Principal, body: unknown, userIdType: UserIdType): TaskRecord {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw FeishuErrors.invalidRequest('The request body must be a JSON object.');
    }
    const { summary, description, members } = body as Record<string, unknown>;
    if (typeof summary !== 'string' || summary.trim() === '') {
      throw FeishuErrors.invalidParam('summary', 'must not be empty');
    }
    if ([...summary].length > MAX_TASK_SUMMARY_LENGTH) {
      throw FeishuErrors.invalidParam('summary', `must be at most ${MAX_TASK_SUMMARY_LENGTH} characters`);
    }
    if (description !== undefined && typeof description !== 'string') {
      throw FeishuErrors.invalidParam('description', 'must be a string');
    }
    if (typeof description === 'string' && [...description].length > MAX_DESCRIPTION_LENGTH) {
      throw FeishuErrors.invalidParam('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
    }
    const now = this.clock.now();
    const task: TaskRecord = {
      guid: newGuid(),
      taskId: `t${100000 + ++this.taskNumber}`,
      summary,
      description: description ?? '',
      creatorKey: principalKey(principal),
      members: this.parseMembers(members, userIdType),
      createdAt: now,
      updatedAt: now,
    };
    this.tasks.save(task);
    return task;
  }

  /** A task the caller may read, or Feishu's 404 / 403. */
  getReadable(principal: Principal, guid: string): TaskRecord {
    const task = this.find(guid);
    if (!canRead(task, principal)) throw FeishuErrors.permissionDenied('no read permission on the task');
    return task;
  }

  getEditable(principal: Principal, guid: string): TaskRecord {
    const task = this.find(guid);
    if (!canEdit(task, principal)) throw FeishuErrors.permissionDenied('no edit permission on the task');
    return task;
  }

  find(guid: string): TaskRecord {
    const task = this.tasks.find(guid);
    if (!task) throw FeishuErrors.taskNotFound();
    return task;
  }

  /** Feishu: deletion cannot be undone; the task's attachments (and their URLs) go with it. */
  async delete(principal: Principal, guid: string): Promise<void> {
    this.getEditable(principal, guid);
    this.tasks.delete(guid);
    const removed = this.attachments.deleteAllOf(guid);
    await Promise.all(removed.map((attachment) => this.blobs.delete(attachment.blobKey)));
  }

  private parseMembers(value: unknown, userIdType: UserIdType): TaskMemberRecord[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw FeishuErrors.invalidParam('members', 'must be an array');
    const members = new Map<string, TaskMemberRecord>();
    for (const raw of value) {
      if (typeof raw !== 'object' || raw === null)
        throw FeishuErrors.invalidParam('members', 'each member must be an object');
      const { id, type = 'user', role } = raw as Record<string, unknown>;
      if (typeof id !== 'string' || id === '')
        throw FeishuErrors.invalidParam('members.id', 'must not be empty');
      if (!(TASK_MEMBER_ROLES as readonly unknown[]).includes(role)) {
        throw FeishuErrors.invalidParam('members.role', `must be one of ${TASK_MEMBER_ROLES.join(', ')}`);
      }
      let key: string;
      if (type === 'user') {
        const user = this.identity.findUserBy(userIdType, id);
        if (!user) throw FeishuErrors.invalidParam('members.id', `no user with ${userIdType} ${id}`);
        key = `user:${user.openId}`;
      } else if (type === 'app') {
        if (!this.identity.findApp(id)) throw FeishuErrors.invalidParam('members.id', `no app ${id}`);
        key = `app:${id}`;
      } else {
        throw FeishuErrors.invalidParam('members.type', 'must be user or app');
      }
      members.set(`${key}|${role}`, { key, role: role as TaskMemberRole });
    }
    if (members.size > MAX_MEMBERS)
      throw FeishuErrors.invalidParam('members', `at most ${MAX_MEMBERS} members`);
    return [...members.values()];
  }
}
