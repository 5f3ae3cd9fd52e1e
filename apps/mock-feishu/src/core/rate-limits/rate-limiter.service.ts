import { Clock } from '../shared/clock.js';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { RATE_LIMITS, takeCall, type WindowState } from './rate-limit.js';

/** Feishu limits apply per API × app; windows follow the emulator's clock. */
export class RateLimiterService {
  private readonly windows = new Map<string, WindowState[]>();
  private enabled: boolean;

  constructor(
    private readonly clock: Clock,
    private readonly settings: MockFeishuSettings,
  ) {
    this.enabled = settings.rateLimits;
  }

  check(operation: string, appId: string): void {
    const rules = RATE_LIMITS[operation];
    if (!this.enabled || !rules) return;
    const key = `${operation}|${appId}`;
    let windows = this.windows.get(key);
    if (!windows) {
      windows = [];
      this.windows.set(key, windows);
    }
    const decision = takeCall(rules, windows, this.clock.now());
    if (!decision.allowed) throw FeishuErrors.rateLimited(decision.limit, decision.resetSeconds);
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  isEnabled(): boolean {
    return this.enabled;
  }

  /** Empties every window and restores the configured on/off switch. */
  reset(): void {
    this.windows.clear();
    this.enabled = this.settings.rateLimits;
  }
}
