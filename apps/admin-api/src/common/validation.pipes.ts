import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

// Feishu task and attachment guids are UUIDs (task-v2/overview); checking here gives a clear 400
// instead of a round trip that Feishu would refuse anyway.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path guid, lower-cased; anything else is a 400 naming the parameter. */
@Injectable()
export class GuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!GUID.test(value)) {
      throw new BadRequestException(
        `${this.name} must be a GUID like f860de3e-6881-4ddd-9321-070f36d1af0b; got ${JSON.stringify(value)}.`,
      );
    }
    return value.toLowerCase();
  }
}

/** A path parameter checked against `pattern`; anything else is a 400 naming it and what it must be. */
@Injectable()
export class PatternPipe implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly pattern: RegExp,
    private readonly expected: string,
  ) {}

  transform(value: string): string {
    if (!this.pattern.test(value)) {
      throw new BadRequestException(`${this.name} ${this.expected}; got ${JSON.stringify(value)}.`);
    }
    return value;
  }
}

/** Where a nested field is, as a caller would write it: `members[0].role`. */
const fieldPath = (path: readonly PropertyKey[]) =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('');

/**
 * Validates a body or query with a zod schema; the 400 lists every problem. A top-level field's
 * message names the field itself; a nested one's is prefixed with where it is.
 */
export class ZodPipe<TSchema extends z.ZodType> implements PipeTransform<unknown, z.output<TSchema>> {
  constructor(
    private readonly schema: TSchema,
    private readonly where: 'body' | 'query',
  ) {}

  transform(value: unknown): z.output<TSchema> {
    const result = this.schema.safeParse(value ?? (this.where === 'body' ? undefined : {}));
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown ${this.where} field(s): ${issue.keys.map((key) => fieldPath([...issue.path, key])).join(', ')}`;
      if (issue.code === 'invalid_type' && issue.path.length === 0) {
        return this.where === 'body' ? 'the body must be a JSON object' : issue.message;
      }
      return issue.path.length > 1 ? `${fieldPath(issue.path)} ${issue.message}` : issue.message;
    });
    throw new BadRequestException(`Invalid ${this.where}: ${problems.join('; ')}.`);
  }
}
