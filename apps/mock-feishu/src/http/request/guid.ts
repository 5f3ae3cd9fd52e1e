import { FeishuErrors } from '../../core/errors/feishu-errors.js';

// Task and attachment guids are UUIDs; Feishu answers a malformed one with 400/1470400 (task-v2/task/get).
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseGuid(value: string, name: string): string {
  if (!GUID.test(value))
    throw FeishuErrors.invalidParam(name, 'must be a GUID like f860de3e-6881-4ddd-9321-070f36d1af0b');
  return value.toLowerCase();
}
