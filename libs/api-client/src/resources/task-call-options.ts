import type { UserIdType } from '../wire/index.js';
import type { CallOptions } from '../core/transport.js';

/** Options of a call on a task or subtask: both resources take them. */
export interface TaskCallOptions extends CallOptions {
  /** How user ids are written in the answer (and read in `members`). @default 'open_id' */
  userIdType?: UserIdType;
}
