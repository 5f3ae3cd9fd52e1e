import { Injectable } from '@nestjs/common';
import type { Attachment, Member, Task, UserIdType } from '@feishu-attachments/api-client/wire';
import { memberOf, splitKey, type User } from '../../core/identity/identity.js';
import { IdentityService } from '../../core/identity/identity.service.js';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import { isCompleted, type TaskRecord } from '../../core/tasks/task.js';
import type { RawJson } from './answer-json.js';
import { AttachmentJsonCache } from './attachment-json.cache.js';

/**
 * Turns records into Feishu's snake_case shapes, with ids in the requested `user_id_type`. The
 * users named are looked up in one call per answer, not one per member.
 */
@Injectable()
export class FeishuWirePresenter {
  private readonly json = new AttachmentJsonCache((record, uploader) => attachmentOf(record, () => uploader));

  constructor(private readonly identity: IdentityService) {}

  async attachments(
    records: readonly AttachmentRecord[],
    userIdType: UserIdType,
    urls?: readonly string[],
  ): Promise<Attachment[]> {
    const uploader = await this.uploaders(records, userIdType);
    return records.map((record, index) => attachmentOf(record, uploader, urls?.[index]));
  }

  async attachment(record: AttachmentRecord, userIdType: UserIdType, url?: string): Promise<Attachment> {
    return (await this.attachments([record], userIdType, url === undefined ? undefined : [url]))[0];
  }

  /** The same attachments as JSON text, each written once and kept (attachment-json.cache.ts). */
  async attachmentsJson(
    records: readonly AttachmentRecord[],
    userIdType: UserIdType,
    urls: readonly string[],
  ): Promise<RawJson<Attachment>[]> {
    const uploader = await this.uploaders(records, userIdType);
    const uploaderJson = new Map<string, string>();
    return records.map((record, index) => {
      const key = record.uploaderKey;
      let member = uploaderJson.get(key);
      if (member === undefined) uploaderJson.set(key, (member = JSON.stringify(uploader(key))));
      return this.json.text(record, member, urls[index]);
    });
  }

  /**
   * A task in Feishu's shape: the fields it always has, then each optional one only when set
   * (docs/fidelity.md: which empty fields are left out is assumed). `status` follows `completed_at`.
   */
  async task(
    record: TaskRecord,
    attachments: readonly AttachmentRecord[],
    userIdType: UserIdType,
    subtaskCount: number,
  ): Promise<Task> {
    const users = await this.usersOf([
      record.creatorKey,
      ...record.members.map((member) => member.key),
      ...attachments.map((attachment) => attachment.uploaderKey),
    ]);
    const member = (key: string, role: string) => memberIn(users, key, userIdType, role);
    const task: Task = {
      guid: record.guid,
      task_id: record.taskId,
      summary: record.summary,
      description: record.description,
      creator: member(record.creatorKey, 'creator'),
      members: record.members.map((entry) => member(entry.key, entry.role)),
      attachments: attachments.map((attachment) =>
        attachmentOf(attachment, (key) => memberIn(users, key, userIdType, 'editor')),
      ),
      status: isCompleted(record) ? 'done' : 'todo',
      completed_at: String(record.completedAt),
      created_at: String(record.createdAt),
      updated_at: String(record.updatedAt),
      url: `https://applink.feishu.cn/client/todo/detail?guid=${record.guid}&suite_entity_num=${record.taskId}`,
      subtask_count: subtaskCount,
    };
    const optional: Partial<Task> = {
      due: record.due,
      start: record.start,
      reminders: record.reminders.length
        ? record.reminders.map((reminder) => ({
            id: reminder.id,
            relative_fire_minute: reminder.relativeFireMinute,
          }))
        : undefined,
      origin: record.origin,
      extra: record.extra,
      tasklists: record.tasklists.length ? record.tasklists : undefined,
      repeat_rule: record.repeatRule,
      parent_task_guid: record.parentGuid,
      mode: record.mode,
      custom_complete: record.customComplete,
      is_milestone: record.isMilestone,
      custom_fields: record.customFields.length ? record.customFields : undefined,
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) Object.assign(task, { [key]: value });
    return task;
  }

  /** Who uploaded `records`, as members: a page's attachments mostly share one, built once. */
  private async uploaders(
    records: readonly AttachmentRecord[],
    userIdType: UserIdType,
  ): Promise<(key: string) => Member> {
    const users = await this.usersOf(records.map((record) => record.uploaderKey));
    const uploaders = new Map<string, Member>();
    return (key) => {
      let member = uploaders.get(key);
      if (!member) uploaders.set(key, (member = memberIn(users, key, userIdType, 'editor')));
      return member;
    };
  }

  private usersOf(keys: readonly string[]): Promise<Map<string, User>> {
    const openIds = new Set<string>();
    for (const key of keys) {
      const [kind, id] = splitKey(key);
      if (kind === 'user') openIds.add(id);
    }
    return this.identity.findUsers([...openIds]);
  }
}

function memberIn(users: Map<string, User>, key: string, userIdType: UserIdType, role?: string): Member {
  return memberOf(key, userIdType, (openId) => users.get(openId), role);
}

function attachmentOf(record: AttachmentRecord, uploader: (key: string) => Member, url?: string): Attachment {
  const attachment: Attachment = {
    guid: record.guid,
    file_token: record.fileToken,
    name: record.name,
    size: record.size,
    resource: { type: record.resourceType, id: record.resourceId },
    uploader: uploader(record.uploaderKey),
    is_cover: record.isCover,
    uploaded_at: String(record.uploadedAt),
  };
  // Added last, where Feishu writes it, without copying the object.
  if (url !== undefined) attachment.url = url;
  return attachment;
}
