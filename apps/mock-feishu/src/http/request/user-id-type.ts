import { DEFAULT_USER_ID_TYPE, USER_ID_TYPES, type UserIdType } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

/** The `user_id_type` query parameter of the task and attachment routes. */
export function parseUserIdType(value: unknown): UserIdType {
  if (value === undefined || value === '') return DEFAULT_USER_ID_TYPE;
  if (typeof value === 'string' && (USER_ID_TYPES as readonly string[]).includes(value)) {
    return value as UserIdType;
  }
  throw FeishuErrors.invalidParam('user_id_type', `must be one of ${USER_ID_TYPES.join(', ')}`);
}
