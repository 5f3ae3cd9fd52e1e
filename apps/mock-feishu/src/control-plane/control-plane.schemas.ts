import { METHODS, validateHeaderName, validateHeaderValue } from 'node:http';
import { z } from 'zod';
import { MAX_FILE_BYTES, MAX_TASK_SUMMARY_LENGTH } from '@feishu-attachments/api-client/wire';
import { LATEST_CLOCK_MS } from '../common/clock.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { FEISHU_OPERATIONS } from '../gateway/feishu-operation.decorator.js';
import { MAX_JOURNAL_SIZE } from '../mock-feishu.settings.js';
import { isWritableContentType } from './seed-rules.js';

/** Bounds of the control plane's own inputs (documented in apps/mock-feishu/README.md). */
export const ControlPlaneLimits = {
  /** A fault may hold a call at most this long on the emulator clock. */
  maxFaultDelayMs: 60_000,
  /** A fault applies to at most this many calls. */
  maxFaultTimes: 10_000,
  maxFaultHeaders: 50,
  /** One clock step: a century, far beyond any token lifetime and well inside a Date. */
  maxClockStepMs: 100 * 365 * 24 * 3600 * 1000,
  /** Ids, names, scopes and other short strings. */
  maxShortText: 256,
  maxScopes: 100,
  maxMembers: 100,
  maxSeededAttachments: 100,
  maxDescription: 3000,
  /** `GET /__mock/download-urls` pages: like Feishu's lists, with a larger maximum. */
  downloadUrlsPageSizeDefault: 50,
  downloadUrlsPageSizeMax: 500,
} as const;

const L = ControlPlaneLimits;
const shortText = z.string().min(1).max(L.maxShortText);
const scopes = z.array(shortText).max(L.maxScopes).optional();
const replace = z.boolean().optional();

/** A header pair Node would write: RFC 7230 token name, value without CR, LF or other controls. */
const writableHeaders = z
  .record(z.string(), z.string())
  .refine((headers) => Object.keys(headers).length <= L.maxFaultHeaders, {
    message: `at most ${L.maxFaultHeaders} headers`,
  })
  .superRefine((headers, ctx) => {
    for (const [name, value] of Object.entries(headers)) {
      try {
        validateHeaderName(name);
        validateHeaderValue(name, value);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `not a writable header (${(error as NodeJS.ErrnoException).code ?? 'invalid'})`,
        });
      }
    }
  });

/** Strict base64 (padded, standard alphabet): a typo must not seed an empty or shortened file. */
const base64Content = z.base64();

const seededAttachment = z
  .object({
    name: shortText,
    content: z.string(),
    encoding: z.enum(['utf8', 'base64']).optional(),
    content_type: z
      .string()
      .refine(isWritableContentType, 'must be a type/subtype media type that can be written as a header')
      .optional(),
    uploader_open_id: shortText.optional(),
  })
  .strict()
  .superRefine((attachment, ctx) => {
    if (attachment.encoding === 'base64' && !base64Content.safeParse(attachment.content).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: 'is not valid base64 (standard alphabet, padded)',
      });
      return;
    }
    const bytes = Buffer.byteLength(attachment.content, attachment.encoding ?? 'utf8');
    if (bytes > MAX_FILE_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: `is over Feishu's ${MAX_FILE_BYTES} bytes`,
      });
    }
  });

export const ControlPlaneSchemas = {
  reset: z.object({ keepTokens: z.boolean().optional() }).strict(),
  // One object with a refinement rather than a union, so a bad body is told which field is wrong.
  clock: z
    .object({
      advanceMs: z.number().int().nonnegative().max(L.maxClockStepMs).optional(),
      setMs: z.number().int().nonnegative().max(LATEST_CLOCK_MS).optional(),
      freeze: z.boolean().optional(),
    })
    .strict()
    .refine(
      (change) => change.advanceMs === undefined || change.setMs === undefined,
      'give advanceMs or setMs, not both',
    )
    .refine(
      (change) => change.advanceMs !== undefined || change.setMs !== undefined || change.freeze !== undefined,
      'give exactly one of advanceMs or setMs, and/or freeze',
    ),
  app: z.object({ app_id: shortText, app_secret: shortText, scopes, replace }).strict(),
  user: z
    .object({
      name: shortText,
      open_id: shortText.optional(),
      union_id: shortText.optional(),
      user_id: shortText.optional(),
      replace,
    })
    .strict(),
  credential: z.object({ open_id: shortText, app_id: shortText.optional(), scopes }).strict(),
  task: z
    .object({
      summary: z.string().min(1).max(MAX_TASK_SUMMARY_LENGTH),
      description: z.string().max(L.maxDescription).optional(),
      creator_open_id: shortText.optional(),
      members: z
        .array(z.object({ open_id: shortText, role: z.enum(['assignee', 'follower']) }).strict())
        .max(L.maxMembers)
        .optional(),
      attachments: z.array(seededAttachment).max(L.maxSeededAttachments).optional(),
    })
    .strict(),
  fault: z
    .object({
      method: z
        .string()
        .refine((method) => METHODS.includes(method.toUpperCase()), 'must be an HTTP method')
        .optional(),
      path: z.string().min(1).max(2048).optional(),
      operation: z
        .enum(FEISHU_OPERATIONS, { error: `must be one of ${FEISHU_OPERATIONS.join(', ')}` })
        .optional(),
      times: z.number().int().min(1).max(L.maxFaultTimes).default(1),
      error: z
        .object({
          status: z.number().int().min(200).max(599),
          code: z.number().int(),
          msg: z.string().max(1000).default('injected fault'),
          headers: writableHeaders.optional(),
        })
        .strict()
        // Feishu answers some errors with HTTP 200 and a non-zero code (token endpoints, rate limits
        // seen so), so 200 stays possible for an error; no other non-error status is.
        .refine((error) => error.status >= 400 || (error.status === 200 && error.code !== 0), {
          path: ['status'],
          message: 'must be 400-599, or 200 with a non-zero code',
        })
        .optional(),
      delayMs: z.number().int().nonnegative().max(L.maxFaultDelayMs).optional(),
      drop: z.boolean().optional(),
    })
    .strict()
    .refine(
      (rule) => rule.method || rule.path || rule.operation,
      'name at least one of method, path, operation',
    )
    .refine((rule) => rule.error || rule.delayMs || rule.drop, 'give an error, a delayMs or drop: true'),
  rateLimits: z.object({ enabled: z.boolean() }).strict(),
  journalQuery: z
    .object({
      operation: z.string().max(L.maxShortText).optional(),
      method: z.string().max(L.maxShortText).optional(),
      path: z.string().max(2048).optional(),
      limit: z.coerce.number().int().positive().max(MAX_JOURNAL_SIZE).optional(),
    })
    .strict(),
  downloadUrlsQuery: z
    .object({
      page_size: z.coerce
        .number()
        .int()
        .min(1)
        .max(L.downloadUrlsPageSizeMax)
        .default(L.downloadUrlsPageSizeDefault),
      page_token: z.string().max(L.maxShortText).optional(),
      order: z.enum(['asc', 'desc']).default('asc'),
    })
    .strict(),
};

/** Reads a control-plane body or query; anything off is a 400 naming each field and rule. */
export function parseControl<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query' = 'body'): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || where}: ${issue.message}`);
    throw FeishuErrors.invalidRequest(`Invalid control-plane request: ${issues.join('; ')}`);
  }
  return result.data;
}
