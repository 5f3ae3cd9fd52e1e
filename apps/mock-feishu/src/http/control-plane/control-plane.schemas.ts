import { METHODS, validateHeaderName, validateHeaderValue } from 'node:http';
import { z } from 'zod';
import { MAX_FILE_BYTES } from '@feishu-attachments/api-client/wire';
import { LATEST_CLOCK_MS } from '../../core/shared/clock.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { FEISHU_OPERATIONS } from '../gateway/feishu-operation.decorator.js';
import { MAX_JOURNAL_SIZE } from '../../config/mock-feishu.settings.js';
import { isWritableContentType } from '../../core/control-plane/seed-rules.js';
import { SeedTaskFields } from './seed-task.schemas.js';

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
  maxSeededAttachments: 100,
  /** `GET /__mock/download-urls` pages: like Feishu's lists, with a larger maximum. */
  downloadUrlsPageSizeDefault: 50,
  downloadUrlsPageSizeMax: 500,
} as const;

const L = ControlPlaneLimits;
const shortText = z.string().min(1).max(L.maxShortText);

/*
 * These schemas are also the control plane's documented contract: control-plane.openapi.ts turns
 * them into openapi/control-plane.openapi.yaml (node apps/mock-feishu/scripts/write-control-plane-openapi.mjs).
 * `.meta()` only documents: a description, a default the handler applies, or a rule a refinement
 * checks that JSON Schema can state; it does not change what a schema accepts.
 */

/** The scopes of an app or credential; omitted means every scope the emulator checks. */
export const ScopesSchema = z.array(shortText).max(L.maxScopes).meta({
  description: 'OAuth scopes, e.g. `task:attachment:read`. Omitted means every scope the emulator checks.',
});
const scopes = ScopesSchema.optional();
const replace = (what: string) =>
  z
    .boolean()
    .optional()
    .meta({ default: false, description: `Overwrite ${what} (without it, one that exists is a 409).` });

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

export const SeedAttachmentSchema = z
  .object({
    name: shortText,
    content: z.string().meta({
      description:
        "The file's bytes, encoded as `encoding` says; base64 is checked strictly (standard alphabet, " +
        `padded) and the bytes are at most Feishu's ${MAX_FILE_BYTES} (the request body itself is at most 1 MB).`,
    }),
    encoding: z.enum(['utf8', 'base64']).optional().meta({ default: 'utf8' }),
    content_type: z
      .string()
      .refine(isWritableContentType, 'must be a type/subtype media type that can be written as a header')
      .optional()
      .meta({
        default: 'application/octet-stream',
        maxLength: 255,
        description:
          'Sent back as `Content-Type` when the file is downloaded: a `type/subtype` media type ' +
          '(optional `; name=value` parameters), ASCII, no CR or LF; anything else is a 400.',
      }),
    uploader_open_id: shortText
      .optional()
      .meta({ description: 'The uploading user. Omitted means the default app.' }),
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

/** The `error` of a fault rule: the answer the caught calls get. */
export const FaultErrorSchema = z
  .object({
    status: z
      .number()
      .int()
      .min(200)
      .max(599)
      .meta({
        description:
          '400–599, or 200 with a non-zero `code` (Feishu answers some errors with HTTP 200: the token ' +
          'endpoints, and rate limits have been seen so); any other status is a 400.',
      }),
    code: z
      .number()
      .int()
      .meta({ description: 'Feishu `code` of the answer, e.g. 1470500, 99991400, 99991663.' }),
    msg: z.string().max(1000).default('injected fault'),
    headers: writableHeaders.optional().meta({
      maxProperties: L.maxFaultHeaders,
      description:
        'Extra response headers, each writable (RFC 9110 token name; value without CR, LF or other ' +
        'control characters). A rate limit (status 429 or code 99991400) gets `x-ogw-ratelimit-limit: 10` ' +
        'and `x-ogw-ratelimit-reset: 1` unless given here.',
    }),
  })
  .strict()
  // Feishu answers some errors with HTTP 200 and a non-zero code (token endpoints, rate limits
  // seen so), so 200 stays possible for an error; no other non-error status is.
  .refine((error) => error.status >= 400 || (error.status === 200 && error.code !== 0), {
    path: ['status'],
    message: 'must be 400-599, or 200 with a non-zero code',
  });

export const ControlPlaneSchemas = {
  reset: z
    .object({
      keepTokens: z
        .boolean()
        .optional()
        .meta({ default: false, description: 'Keep apps, users and every issued credential.' }),
    })
    .strict(),
  // One object with a refinement rather than a union, so a bad body is told which field is wrong.
  clock: z
    .object({
      advanceMs: z
        .number()
        .int()
        .nonnegative()
        .max(L.maxClockStepMs)
        .optional()
        .meta({ description: 'Milliseconds to move forwards (at most a century).' }),
      setMs: z
        .number()
        .int()
        .nonnegative()
        .max(LATEST_CLOCK_MS)
        .optional()
        .meta({
          description:
            'The new time, ms since the epoch; at most a year short of the largest Date, so every ' +
            'expiry computed from it is still a Date.',
        }),
      freeze: z.boolean().optional().meta({ description: 'true stops time; false lets it run again.' }),
    })
    .strict()
    .refine(
      (change) => change.advanceMs === undefined || change.setMs === undefined,
      'give advanceMs or setMs, not both',
    )
    .refine(
      (change) => change.advanceMs !== undefined || change.setMs !== undefined || change.freeze !== undefined,
      'give exactly one of advanceMs or setMs, and/or freeze',
    )
    .meta({
      description: 'At most one of `advanceMs` and `setMs`, and/or `freeze`.',
      anyOf: [{ required: ['advanceMs'] }, { required: ['setMs'] }, { required: ['freeze'] }],
      not: { required: ['advanceMs', 'setMs'] },
    }),
  app: z
    .object({
      app_id: shortText,
      app_secret: shortText,
      scopes,
      replace: replace('an app with this `app_id`'),
    })
    .strict(),
  user: z
    .object({
      name: shortText,
      open_id: shortText
        .optional()
        .meta({ description: 'Generated as `ou_` and 32 hex digits when omitted.' }),
      union_id: shortText
        .optional()
        .meta({ description: 'Generated as `on_` and 32 hex digits when omitted.' }),
      user_id: shortText.optional().meta({ description: 'Generated as 8 hex digits when omitted.' }),
      replace: replace('a user with this `open_id`'),
    })
    .strict(),
  credential: z
    .object({
      open_id: shortText.meta({
        description: 'A user created with `POST /__mock/users`; anyone else is refused with 400.',
      }),
      app_id: shortText
        .optional()
        .meta({ description: 'The app the credential is issued to. Defaults to the default app.' }),
      scopes,
    })
    .strict(),
  task: z
    .object({
      ...SeedTaskFields,
      attachments: z.array(SeedAttachmentSchema).max(L.maxSeededAttachments).optional(),
    })
    .strict(),
  fault: z
    .object({
      method: z
        .string()
        .refine((method) => METHODS.includes(method.toUpperCase()), 'must be an HTTP method')
        .optional()
        .meta({ minLength: 1, description: 'HTTP method, any case.' }),
      path: z
        .string()
        .min(1)
        .max(2048)
        .optional()
        .meta({ description: 'Request path, exact or with `*` matching any run of characters.' }),
      operation: z
        .enum(FEISHU_OPERATIONS, { error: `must be one of ${FEISHU_OPERATIONS.join(', ')}` })
        .optional()
        .meta({ description: 'Operation name, e.g. `attachment.upload`.' }),
      times: z
        .number()
        .int()
        .min(1)
        .max(L.maxFaultTimes)
        .default(1)
        .meta({ description: 'How many matching calls the rule catches.' }),
      error: FaultErrorSchema.optional(),
      delayMs: z.number().int().nonnegative().max(L.maxFaultDelayMs).optional().meta({
        description: 'Emulator-clock time to hold the call (real time unless the clock is frozen).',
      }),
      drop: z.boolean().optional().meta({ description: 'Destroy the connection without an answer.' }),
    })
    .strict()
    .refine(
      (rule) => rule.method || rule.path || rule.operation,
      'name at least one of method, path, operation',
    )
    .refine((rule) => rule.error || rule.delayMs || rule.drop, 'give an error, a delayMs or drop: true')
    .meta({
      description:
        'Name at least one of `method`, `path`, `operation`; give `error`, a positive `delayMs` or `drop: true`.',
      allOf: [
        { anyOf: [{ required: ['method'] }, { required: ['path'] }, { required: ['operation'] }] },
        {
          anyOf: [
            { required: ['error'] },
            { required: ['delayMs'], properties: { delayMs: { minimum: 1 } } },
            { required: ['drop'], properties: { drop: { const: true } } },
          ],
        },
      ],
    }),
  rateLimits: z.object({ enabled: z.boolean() }).strict(),
  sandbox: z
    .object({
      name: shortText
        .optional()
        .meta({ description: 'A label for people, e.g. the test file that made it.' }),
      app_id: shortText.optional().meta({
        description:
          "Its app's id; generated (`cli_` and 16 hex digits) when omitted. Unique across sandboxes.",
      }),
      app_secret: shortText.optional().meta({ description: "Its app's secret; generated when omitted." }),
    })
    .strict()
    .refine((input) => (input.app_id === undefined) === (input.app_secret === undefined), {
      message: 'app_id and app_secret go together',
    }),
  journalQuery: z
    .object({
      operation: z
        .string()
        .max(L.maxShortText)
        .optional()
        .meta({ description: 'Exact operation name, e.g. `attachment.list`.' }),
      method: z.string().max(L.maxShortText).optional().meta({ description: 'HTTP method, any case.' }),
      path: z
        .string()
        .max(2048)
        .optional()
        .meta({ description: 'Exact request path, without the query string (no wildcards).' }),
      limit: z.coerce
        .number()
        .int()
        .positive()
        .max(MAX_JOURNAL_SIZE)
        .optional()
        .meta({ description: 'Keep only the newest N matching entries.' }),
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
      page_token: z
        .string()
        .max(L.maxShortText)
        .optional()
        .meta({ description: 'The `page_token` of the previous page, with the same `order`.' }),
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
