import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client';
import type { MultipartRefusal } from '@feishu-attachments/multipart-intake';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
  RequestTimeoutException,
} from '@nestjs/common';
import { FILE_FIELD } from './multipart-receiver.js';

export const NOT_MULTIPART = `Send multipart/form-data with 1–${MAX_FILES_PER_UPLOAD} parts named "${FILE_FIELD}".`;

const invalid = (what: string) => new BadRequestException(`Invalid multipart body: ${what}.`);

/**
 * The shared intake's refusals as admin-api answers them: the statuses and messages it gave
 * before the intake was shared (413 for sizes, 408 for a stall, 400 for the rest). Where busboy 1.x
 * said why a body could not be parsed, its words are kept.
 */
export function httpExceptionOfRefusal(refusal: MultipartRefusal): HttpException {
  switch (refusal.kind) {
    case 'file-too-large':
      return new PayloadTooLargeException(
        `${refusal.filename ? `"${refusal.filename}"` : 'A file'} is larger than ${MAX_FILE_BYTES} bytes (50 MiB), ` +
          "Feishu's limit per file.",
      );
    case 'too-many-files':
      return new BadRequestException(
        `At most ${MAX_FILES_PER_UPLOAD} files per upload (Feishu's limit); send the rest in another request.`,
      );
    case 'too-many-parts':
      return new BadRequestException(`At most ${refusal.limit} parts per upload.`);
    case 'too-many-fields':
      return new BadRequestException(`At most ${refusal.limit} text fields per upload.`);
    case 'field-too-long':
      return new PayloadTooLargeException(
        `${refusal.field === undefined ? 'A text field' : `The field "${refusal.field}"`} is larger than ${refusal.limit} bytes.`,
      );
    case 'unexpected-file-field':
      return new BadRequestException(
        `Unexpected file part "${refusal.field}": every file must be a part named "${FILE_FIELD}".`,
      );
    case 'stalled':
      return new RequestTimeoutException(
        `The upload stalled: no bytes for ${refusal.limit} ms. Send the body without pauses.`,
      );
    case 'caller-gone':
      return new HttpException('The caller went away mid-upload.', HttpStatus.BAD_REQUEST);
    case 'not-multipart':
      return new BadRequestException(NOT_MULTIPART);
    case 'no-boundary':
      return invalid('Multipart: Boundary not found');
    case 'ended-early':
      return invalid('Unexpected end of form');
    case 'malformed-header':
      return invalid('Malformed part header');
    case 'malformed':
      return invalid('it could not be parsed');
    case 'field-name-missing':
      return invalid('a part has no name');
  }
}
