import {
  isMultipartRefusal,
  receiveMultipart,
  type IntakeLimits,
  type PartHead,
} from '@feishu-attachments/multipart-intake';
import type { IncomingMessage } from 'node:http';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, UploadField } from '@feishu-attachments/api-client/wire';
import { BlobStore } from '../../core/blobs/blob-store.js';
import { UNNAMED_FILE } from '../../core/attachments/attachment.js';
import { parseResourceId, parseResourceType } from './attachment.params.js';
import { feishuErrorOfRefusal } from './multipart-refusal.mapper.js';

/** The emulator's own bounds on a form (Feishu's has two text fields and up to five files). */
export const MAX_FIELDS = 20;
export const MAX_PARTS = 40;
/**
 * The largest body an upload that keeps every limit can have: five files at the limit plus room
 * for its fields and part headers. A Content-Length above it is refused before reading.
 */
export const MAX_UPLOAD_BODY_BYTES = MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024;
/** Per text field: the parser's default. */
export const MAX_FIELD_BYTES = 1024 * 1024;

const UPLOAD_LIMITS: IntakeLimits = {
  files: MAX_FILES_PER_UPLOAD,
  fileSize: MAX_FILE_BYTES,
  fields: MAX_FIELDS,
  parts: MAX_PARTS,
  fieldSize: MAX_FIELD_BYTES,
};

/** A file part already streamed into the blob store, in the shape the journal reads (multer's). */
export interface ReceivedFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  blobKey: string;
}

export interface ReceivedForm {
  /** Text fields; a name given twice maps to its values in order. */
  fields: Record<string, string | string[]>;
  files: ReceivedFile[];
}

/**
 * Feishu's rule for what is a file: a part named `file` (the official Python SDK and node-sdk with
 * a Buffer send the file with no filename and, from Python, no Content-Type), a filename, or a
 * binary type. Without it a nameless Python file would be taken for a text field.
 */
export const isFeishuFilePart = (part: PartHead): boolean =>
  part.field === UploadField.File ||
  part.filename !== undefined ||
  part.contentType === 'application/octet-stream';

/** Checked as they come, so a refused resource makes the client stop sending files. */
function checkUploadField(name: string, value: string | string[]): void {
  if (name === UploadField.ResourceId) parseResourceId(value);
  if (name === UploadField.ResourceType) parseResourceType(value);
}

/**
 * Streams an upload's `file` parts into the blob store through the shared intake, which enforces
 * every limit as the bytes arrive and removes the partial blobs before it refuses; a refusal comes
 * back as the Feishu error the emulator answers with (multipart-refusal.mapper.ts).
 */
export async function receiveUpload(
  req: IncomingMessage,
  blobs: BlobStore,
  options: { idleBodyTimeoutMs: number },
): Promise<ReceivedForm> {
  try {
    const form = await receiveMultipart(req, {
      limits: UPLOAD_LIMITS,
      idleBodyTimeoutMs: options.idleBodyTimeoutMs,
      fileField: UploadField.File,
      isFile: isFeishuFilePart,
      sink: {
        write: (stream, { signal }) => blobs.write(stream, { signal }),
        remove: (key) => blobs.delete(key),
      },
      checkField: checkUploadField,
    });
    return {
      fields: form.fields,
      files: form.files.map((file) => ({
        fieldname: file.field,
        originalname: file.filename || UNNAMED_FILE,
        mimetype: file.contentType,
        size: file.size,
        blobKey: file.key,
      })),
    };
  } catch (error) {
    throw isMultipartRefusal(error) ? feishuErrorOfRefusal(error) : error;
  }
}
