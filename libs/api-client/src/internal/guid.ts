import { FeishuValidationError } from '../core/errors.js';

// Feishu task and attachment guids are lowercase UUIDs (task-v2/overview).
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkGuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !GUID.test(value)) {
    throw new FeishuValidationError(
      `${what} must be a GUID like f860de3e-6881-4ddd-9321-070f36d1af0b; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
