import { Injectable } from '@nestjs/common';
import type { Attachment, Member, Task, UserIdType } from '@feishu-attachments/api-client/wire';
import { memberOf } from '../identity/identity.js';
import { IdentityService } from '../identity/identity.service.js';
import type { AttachmentRecord } from '../attachments/attachment.js';
import type { TaskRecord } from '../tasks/task.js';

/** Turns records into Feishu's snake_case shapes, with ids in the requested `user_id_type`. */
@Injectable()
export class FeishuWirePresenter {
  constructor(private readonly identity: IdentityService) {}

  member(key: string, userIdType: UserIdType, role?: string): Member {
    return memberOf(key, userIdType, (openId) => this.identity.findUser(openId), role);
  }

  attachment(record: AttachmentRecord, userIdType: UserIdType, url?: string): Attachment {
    const attachment: Attachment = {
      guid: record.guid,
      file_token: record.fileToken,
      name: record.name,
      size: record.size,
      resource: { type: record.resourceType, id: record.resourceId },
      uploader: this.member(record.uploaderKey, userIdType, 'editor'),
      is_cover: record.isCover,
      uploaded_at: String(record.uploadedAt),
    };
    return url === undefined ? attachment : { ...attachment, url };
  }

  task(record: TaskRecord, attachments: AttachmentRecord[], userIdType: UserIdType): Task {
    return {
      guid: record.guid,
      task_id: record.taskId,
      summary: record.summary,
      description: record.description,
      creator: this.member(record.creatorKey, userIdType, 'creator'),
      members: record.members.map((member) => this.member(member.key, userIdType, member.role)),
      attachments: attachments.map((attachment) => this.attachment(attachment, userIdType)),
      status: 'todo',
      completed_at: '0',
      created_at: String(record.createdAt),
      updated_at: String(record.updatedAt),
      url: `https://applink.feishu.cn/client/todo/detail?guid=${record.guid}&suite_entity_num=${record.taskId}`,
    };
  }
}
