import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, UploadField } from '@feishu-attachments/api-client/wire';
import type { MultipartRefusal } from '@feishu-attachments/multipart-intake';
import type { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

export const NOT_MULTIPART = 'The request must be multipart/form-data with repeated file parts.';

const multipartError = (what: string) => FeishuErrors.invalidRequest(`Invalid multipart body: ${what}.`);

/**
 * The shared intake's refusals as the emulator answers them: Feishu's 400/1470400 (408 for a stalled
 * body), naming `file` where Feishu's rules are about files, with the emulator's own wording for
 * the rest. The parser's texts are never echoed.
 */
export function feishuErrorOfRefusal(refusal: MultipartRefusal): FeishuError {
  switch (refusal.kind) {
    case 'file-too-large':
      return FeishuErrors.invalidParam(
        UploadField.File,
        `each file must be at most ${MAX_FILE_BYTES} bytes (50 MiB)` +
          (refusal.filename ? `; '${refusal.filename}' is larger` : ''),
      );
    case 'too-many-files':
      return FeishuErrors.invalidParam(UploadField.File, `at most ${MAX_FILES_PER_UPLOAD} files per request`);
    case 'unexpected-file-field':
      return FeishuErrors.invalidParam(
        refusal.field ?? '',
        `unexpected file field; send every file as a repeated '${UploadField.File}' part`,
      );
    case 'too-many-parts':
      return multipartError('Too many parts');
    case 'too-many-fields':
      return multipartError('Too many fields');
    case 'field-too-long':
      return multipartError('Field value too long');
    case 'field-name-missing':
      return multipartError('Field name missing');
    case 'ended-early':
      return multipartError('the body ended before its closing boundary');
    case 'malformed-header':
      return multipartError('a part header is malformed');
    case 'malformed':
      return multipartError('it could not be parsed');
    case 'no-boundary':
      return multipartError('the Content-Type header needs a boundary');
    case 'not-multipart':
      return FeishuErrors.invalidRequest(NOT_MULTIPART);
    case 'stalled':
      return FeishuErrors.bodyStalled(refusal.limit ?? 0);
    case 'caller-gone':
      return FeishuErrors.invalidRequest('The caller went away mid-upload.');
  }
}
