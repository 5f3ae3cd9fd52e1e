/** What an injected fault does to a matching call. */
export interface FaultAction {
  /** Answer with this Feishu error instead of running the call. */
  error?: { status: number; code: number; msg: string; headers?: Record<string, string> };
  /**
   * Hold the call until the emulator clock has moved this far: real time on a running clock; on a
   * frozen one, until a test advances the clock (or thaws it) that far.
   */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  drop?: boolean;
}

export interface FaultRule {
  id: number;
  method?: string;
  /** Exact request path, or a pattern where `*` matches any run of characters. */
  path?: string;
  operation?: string;
  /** Calls still to be hit. */
  remaining: number;
  action: FaultAction;
}

/**
 * The facts of a call that a rule matches on, as the HTTP layer read them. It may hand over its
 * request object as it stands: `path` is then read only while a rule is armed, not on every call.
 */
export interface FaultedCall {
  readonly method: string;
  /** The request path, without the query. */
  readonly path: string;
}

export function matches(rule: FaultRule, call: FaultedCall, operation: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== call.method.toUpperCase()) return false;
  if (rule.operation !== undefined && rule.operation !== operation) return false;
  if (rule.path !== undefined && !pathPattern(rule.path).test(call.path)) return false;
  return true;
}

function pathPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}
