import { Injectable } from '@nestjs/common';
import type { TaskTime } from '@feishu-attachments/api-client/wire';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { OPERATION_METADATA, type OperationSpec } from '../gateway/feishu-operation.decorator.js';
import type { Sandbox } from '../../core/sandboxes/sandbox.js';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import { isCompleted } from '../../core/tasks/task.js';
import type { DownloadUrlState } from '../../core/downloads/download-urls.service.js';

export interface InspectedAttachment {
  guid: string;
  name: string;
  size: number;
  content_type: string;
  /** `app:<app_id>` or `user:<open_id>`. */
  uploader: string;
  uploaded_at: number;
}

export interface InspectedTask {
  guid: string;
  task_id: string;
  summary: string;
  description: string;
  creator: string;
  members: { key: string; role: string }[];
  status: 'todo' | 'done';
  completed_at: number;
  due?: number;
  start?: number;
  parent_task_guid?: string;
  subtask_count: number;
  created_at: number;
  updated_at: number;
  attachments: InspectedAttachment[];
}

export interface InspectedState {
  apps: { app_id: string; scopes: readonly string[] }[];
  users: { name: string; open_id: string; union_id: string; user_id: string }[];
  tasks: InspectedTask[];
}

/**
 * What the inspector page reads and does beyond the rest of the control plane: the whole state
 * at a glance, the operation names fault rules can name, and an operator's download and delete,
 * which skip the permission checks a Feishu caller goes through. It reaches state through the
 * core's use cases, like every route: they own the not-found answers and what goes with a deleted
 * attachment (its bytes).
 */
@Injectable()
export class InspectorService {
  private operationNames?: string[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** What one sandbox holds. */
  async state(sandbox: Sandbox): Promise<InspectedState> {
    const [apps, users, tasks] = await Promise.all([
      sandbox.identity.listApps(),
      sandbox.identity.listUsers(),
      sandbox.tasks.list(),
    ]);
    const subtaskCounts = await sandbox.tasks.subtaskCounts(tasks.map((task) => task.guid));
    return {
      apps: apps.map((app) => ({ app_id: app.appId, scopes: app.scopes })),
      users: users.map((user) => ({
        name: user.name,
        open_id: user.openId,
        union_id: user.unionId,
        user_id: user.userId,
      })),
      tasks: await Promise.all(
        tasks.map(async (task) => ({
          guid: task.guid,
          task_id: task.taskId,
          summary: task.summary,
          description: task.description,
          creator: task.creatorKey,
          members: task.members.map((member) => ({ key: member.key, role: member.role })),
          status: isCompleted(task) ? ('done' as const) : ('todo' as const),
          completed_at: task.completedAt,
          ...timeOf('due', task.due),
          ...timeOf('start', task.start),
          ...(task.parentGuid === undefined ? {} : { parent_task_guid: task.parentGuid }),
          subtask_count: subtaskCounts.get(task.guid) ?? 0,
          created_at: task.createdAt,
          updated_at: task.updatedAt,
          attachments: (await sandbox.attachments.allOf(task.guid)).map(inspectedAttachment),
        })),
      ),
    };
  }

  /** Every operation name of the emulated surface, read from its handlers, so none can be missed. */
  operations(): string[] {
    this.operationNames ??= [
      ...new Set(
        this.discovery.getControllers().flatMap(({ instance }) => {
          if (!instance) return [];
          const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
          return this.scanner
            .getAllMethodNames(prototype)
            .map((name) => this.reflector.get<OperationSpec | undefined>(OPERATION_METADATA, prototype[name]))
            .flatMap((spec) => (spec ? [spec.name] : []));
        }),
      ),
    ].sort();
    return this.operationNames;
  }

  /** A fresh URL, as a list or get call would mint it; the page then spends one of its uses. */
  async downloadUrl(sandbox: Sandbox, attachmentGuid: string): Promise<DownloadUrlState> {
    // Feishu's 404 for an unknown attachment, before a URL is minted for it.
    await sandbox.attachments.find(attachmentGuid);
    return sandbox.downloadUrls.issueOne(attachmentGuid);
  }

  async deleteAttachment(sandbox: Sandbox, guid: string): Promise<InspectedAttachment> {
    return inspectedAttachment(await sandbox.attachments.deleteAsOperator(guid));
  }
}

function inspectedAttachment(record: AttachmentRecord): InspectedAttachment {
  return {
    guid: record.guid,
    name: record.name,
    size: record.size,
    content_type: record.contentType,
    uploader: record.uploaderKey,
    uploaded_at: record.uploadedAt,
  };
}

/** A due or start time as the page shows it: the instant, in milliseconds. */
function timeOf(name: 'due' | 'start', time: TaskTime | undefined): { due?: number; start?: number } {
  return time?.timestamp === undefined ? {} : { [name]: Number(time.timestamp) };
}
