import { BlobStore } from '../blobs/blob-store.js';
import { TaskDependents } from '../tasks/task-dependents.js';
import { AttachmentRepository } from './attachment.repository.js';

/** A task's attachments go with it: their records first, their files once the task is gone. */
export class TaskAttachments extends TaskDependents {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly blobs: BlobStore,
  ) {
    super();
  }

  async deleteAllOf(taskGuid: string): Promise<() => Promise<void>> {
    const removed = await this.attachments.deleteAllOf(taskGuid);
    return async () => {
      await Promise.all(removed.map((attachment) => this.blobs.delete(attachment.blobKey)));
    };
  }
}
