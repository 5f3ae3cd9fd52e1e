import ky, { type AfterResponseHook, type BeforeRequestHook, type Options as KyOptions } from 'ky';
import type { ResolvedClientOptions } from '../client-options.js';
import { LOG_ID_HEADER } from '../wire/index.js';
import { codeOf, failureOf } from './answer.js';
import { FeishuApiError, FeishuClientError } from './errors.js';
import type { ReadAnswer } from './exchange.fetch.js';
import { translateFailure } from './failure.js';
import { isIdempotent, type RequestSpec } from './request-spec.js';
import { backoff, decideCallRetry, type CallRetryContext, type CallRetryDecision } from './retry-policy.js';

/**
 * What ky's hooks need to know about one call, handed to them as ky's `context`. Nothing in it
 * changes during the call: which attempt it is, and how many retries were made, is ky's own
 * `retryCount` added to the counts it starts from.
 */
export interface Call {
  readonly spec: RequestSpec;
  /** The caller's signal. */
  readonly signal?: AbortSignal;
  /** The token every attempt carries; none for the token endpoint. */
  readonly token?: string;
  /** Whether Feishu rejecting `token` may be answered with a new one (see CallRetryContext). */
  readonly mayReplaceToken: boolean;
  /** Attempts and retries made before this ky call: a call continued with a new token counts on. */
  readonly attemptsBefore: number;
  readonly retriesBefore: number;
  /** The call's draw for the backoff's jitter (RetryContext.jitter). */
  readonly jitter: number;
  /** Each attempt's timeout, for the error that reports one. */
  readonly timeoutMs: number;
}

/** Sends a call once more with a new token, counting on from `attempts` and `retries`. */
export type ReplaceToken = (call: Call, attempts: number, retries: number) => Promise<Response>;

type Decided = Extract<CallRetryDecision, { retry: true }>;

const callOf = (kyOptions: { context: Record<string, unknown> }) => kyOptions.context as unknown as Call;

function retryContext(call: Call, retries: number, options: ResolvedClientOptions): CallRetryContext {
  return {
    idempotent: isIdempotent(call.spec),
    replayable: call.spec.body?.replayable ?? true,
    mayReplaceToken: call.mayReplaceToken,
    retries,
    options: options.retry,
    jitter: call.jitter,
  };
}

/**
 * Tells the caller's `beforeRetry` hook and the log about a retry when it is decided, with its
 * wait, rather than in ky's beforeRetry hook, which runs once the wait is over: the caller may
 * want to cancel during it.
 */
function announce(
  options: ResolvedClientOptions,
  call: Call,
  attempt: number,
  decision: Decided,
  error: unknown,
) {
  const { method, path } = call.spec;
  const { reason, delayMs } = decision;
  options.hooks.beforeRetry?.({ method, path, attempt, reason, delayMs, error });
  options.logger.warn?.(`feishu retry ${method} ${path} after ${reason}, in ${delayMs} ms`, {
    attempt,
    code: error instanceof FeishuApiError ? error.code : undefined,
  });
}

/** ky's beforeRequest hook: each attempt, to the caller's hook and the log (never the token). */
export function reportAttempt({ hooks, logger }: ResolvedClientOptions): BeforeRequestHook {
  return (_request, kyOptions, { retryCount }) => {
    const { spec, attemptsBefore } = callOf(kyOptions);
    const attempt = attemptsBefore + retryCount + 1;
    hooks.beforeRequest?.({ method: spec.method, path: spec.path, attempt });
    logger.debug?.(`feishu → ${spec.method} ${spec.path}`, { attempt });
  };
}

/**
 * ky's afterResponse hook: Feishu's verdict, which is in the body (`code`, even with HTTP 200).
 * A success passes. A failure that Feishu's rules retry goes back to ky as `ky.retry`, with the
 * wait Feishu named (`x-ogw-ratelimit-reset`) or the backoff; a rejected token is replaced once,
 * as ky's documentation does it, by sending the call again with the new token and answering
 * with that. Any other failure is thrown as the FeishuApiError it is.
 */
export function judgeAnswer(options: ResolvedClientOptions, replaceToken: ReplaceToken): AfterResponseHook {
  return async (_request, kyOptions, response, { retryCount }) => {
    const call = callOf(kyOptions);
    const answer = response as ReadAnswer;
    const { method, path } = call.spec;
    const attempt = call.attemptsBefore + retryCount + 1;
    const { status, durationMs } = answer;
    const code = codeOf(answer.parsed);
    const logId = answer.headers.get(LOG_ID_HEADER) ?? undefined;
    options.hooks.afterResponse?.({ method, path, attempt, status, code, logId, durationMs });
    options.logger.debug?.(`feishu ← ${method} ${path} ${status}`, { code, logId, durationMs });

    const failure = failureOf(call.spec, answer);
    if (!failure) return;
    const retries = call.retriesBefore + retryCount;
    const decision = decideCallRetry(failure, retryContext(call, retries, options));
    if (!decision.retry) throw failure;
    announce(options, call, attempt, decision, failure);
    if (decision.reason === 'token_rejected') return replaceToken(call, attempt, retries);
    return ky.retry({ delay: decision.delayMs, code: decision.reason, cause: failure });
  };
}

/**
 * ky's retry options for one call. Feishu's answers are judged by `judgeAnswer`; what comes to
 * `shouldRetry` is an attempt that got no answer (refused, cut off, past ky's timeout), which
 * only a call that may run twice tries again.
 */
export function retryFor(call: Call, options: ResolvedClientOptions): KyOptions['retry'] {
  return {
    limit: options.retry.limit - call.retriesBefore,
    // ky checks the method before it asks shouldRetry (answers that retry skip both).
    methods: isIdempotent(call.spec) ? [call.spec.method.toLowerCase() as 'get'] : [],
    shouldRetry: ({ error, retryCount }) => {
      // Final: the caller's abort, and what is already the client's verdict (a body that stopped
      // itself, the outcome of a call continued with a new token).
      if (call.signal?.aborted || error instanceof FeishuClientError) return false;
      const failure = translateFailure(error, call.signal, call.spec, call.timeoutMs);
      const retries = call.retriesBefore + retryCount - 1;
      const decision = decideCallRetry(failure, retryContext(call, retries, options));
      if (!decision.retry) return false;
      announce(options, call, call.attemptsBefore + retryCount, decision, failure);
      return true;
    },
    // The delay shouldRetry announced: the backoff is a function of the retry count and the call.
    delay: (retryCount) => backoff(retryContext(call, call.retriesBefore + retryCount - 1, options)),
  };
}
