import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { FeishuError } from '../feishu-errors/feishu-error.js';
import { matches, type FaultAction, type FaultRule } from './fault.js';

/** Thrown after a connection was destroyed on purpose; the error filter writes nothing for it. */
export class DroppedConnection extends Error {
  override name = 'DroppedConnection';
}

/** Fault rules, taken first-come first-served; each is used up after `times` matching calls. */
@Injectable()
export class FaultsService {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(rule: Omit<FaultRule, 'id'>): FaultRule {
    const stored = { id: this.nextId++, ...rule };
    this.rules.push(stored);
    return stored;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }

  async apply(req: Request, operation: string): Promise<void> {
    const rule = this.rules.find((candidate) => matches(candidate, req.method, req.path, operation));
    if (!rule) return;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
    await perform(rule.action, req);
  }
}

async function perform(action: FaultAction, req: Request): Promise<void> {
  if (action.delayMs) await sleep(action.delayMs);
  if (action.drop) {
    req.socket.destroy();
    throw new DroppedConnection('connection dropped by an injected fault');
  }
  if (action.error) throw new FeishuError(action.error.status, action.error.code, action.error.msg);
}
