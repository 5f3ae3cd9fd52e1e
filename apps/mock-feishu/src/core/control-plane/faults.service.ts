import {
  FeishuErrorCode,
  RATE_LIMIT_LIMIT_HEADER,
  RATE_LIMIT_RESET_HEADER,
} from '@feishu-attachments/api-client/wire';
import { ShiftableClock } from '../shared/clock.js';
import { FeishuError } from '../errors/feishu-error.js';
import { DroppedConnection } from '../errors/dropped-connection.js';
import { matches, type FaultAction, type FaultedCall, type FaultRule } from './fault.js';

/** Fault rules, taken first-come first-served; each is used up after `times` matching calls. */
export class FaultsService {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly clock: ShiftableClock) {}

  add(rule: Omit<FaultRule, 'id'>): FaultRule {
    const stored = { id: this.nextId++, ...rule };
    this.rules.push(stored);
    return stored;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Takes one rule back; false when it was used up or never armed. */
  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Takes the first rule that matches the call, if any, and does what it says. A drop is thrown as
   * DroppedConnection: the connection is the HTTP layer's, and its error filter cuts it.
   */
  async apply(call: FaultedCall, operation: string): Promise<void> {
    const rule = this.rules.find((candidate) => matches(candidate, call, operation));
    if (!rule) return;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    await perform(rule.action, this.clock);
  }
}

async function perform(action: FaultAction, clock: ShiftableClock): Promise<void> {
  // On the emulator clock, so a frozen clock holds the call until a test advances it.
  if (action.delayMs) await clock.until(clock.now() + action.delayMs);
  if (action.drop) throw new DroppedConnection('connection dropped by an injected fault');
  if (action.error) {
    const { status, code, msg, headers } = action.error;
    // An injected rate limit looks like a real one unless the rule says otherwise.
    const rateLimitHeaders: Record<string, string> =
      status === 429 || code === FeishuErrorCode.RateLimited
        ? { [RATE_LIMIT_LIMIT_HEADER]: '10', [RATE_LIMIT_RESET_HEADER]: '1' }
        : {};
    throw new FeishuError(status, code, msg, { kind: 'envelope' }, { ...rateLimitHeaders, ...headers });
  }
}
