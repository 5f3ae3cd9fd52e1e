/** A Feishu rate limit: a number of calls per fixed window (server-docs/api-call-guide/frequency-control). */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface WindowState {
  windowStart: number;
  count: number;
}

export type RateDecision = { allowed: true } | { allowed: false; limit: number; resetSeconds: number };

/**
 * Counts one call against every rule of an API; the call is refused when any window is full,
 * and a refused call does not use up quota. `reset` is the whole seconds until that window ends.
 */
export function takeCall(rules: readonly RateLimitRule[], windows: WindowState[], now: number): RateDecision {
  const current = rules.map((rule, index) => {
    const windowStart = now - (now % rule.windowMs);
    const state = windows[index];
    return state && state.windowStart === windowStart ? state : { windowStart, count: 0 };
  });
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (current[index].count >= rule.limit) {
      const resetMs = current[index].windowStart + rule.windowMs - now;
      return { allowed: false, limit: rule.limit, resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
    }
  }
  current.forEach((state, index) => {
    windows[index] = { windowStart: state.windowStart, count: state.count + 1 };
  });
  return { allowed: true };
}

const perSecond = (limit: number): RateLimitRule => ({ limit, windowMs: 1000 });
const perMinute = (limit: number): RateLimitRule => ({ limit, windowMs: 60_000 });

/**
 * Documented limits per operation. Not documented, and assumed (docs/fidelity.md): task get and
 * the reads of the task surface (task list, subtask list) like the attachment reads; its writes
 * (patch, add/remove members, subtask create) like task create and delete.
 */
export const RATE_LIMITS: Record<string, readonly RateLimitRule[]> = {
  'attachment.upload': [perSecond(10)],
  'attachment.list': [perSecond(50), perMinute(1000)],
  'attachment.get': [perSecond(50), perMinute(1000)],
  'attachment.delete': [perSecond(50), perMinute(1000)],
  'task.create': [perSecond(10)],
  'task.get': [perSecond(50), perMinute(1000)],
  'task.delete': [perSecond(10)],
  'task.patch': [perSecond(10)],
  'task.list': [perSecond(50), perMinute(1000)],
  'task.addMembers': [perSecond(10)],
  'task.removeMembers': [perSecond(10)],
  'subtask.create': [perSecond(10)],
  'subtask.list': [perSecond(50), perMinute(1000)],
};
