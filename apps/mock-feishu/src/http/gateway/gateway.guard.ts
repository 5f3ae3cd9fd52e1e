import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { FeishuErrorCode } from '@feishu-attachments/api-client/wire';
import { requestContext } from '../request/request-context.js';
import { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { grantedScopes, type Principal } from '../../core/identity/identity.js';
import type { IdentityService } from '../../core/identity/identity.service.js';
import { readBearer } from '../../core/identity/bearer-token.js';
import { SandboxRegistry } from '../../core/sandboxes/sandbox-registry.js';
import type { Sandbox } from '../../core/sandboxes/sandbox.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import {
  OPERATION_METADATA,
  USER_TOKEN_ONLY_METADATA,
  type OperationSpec,
} from './feishu-operation.decorator.js';

type Handler = ReturnType<ExecutionContext['getHandler']>;

/**
 * Feishu's gateway, in its order: injected faults first (so any call can be made to fail),
 * then the bearer token (and its kind, where an API takes user tokens only), the scopes, and the
 * per-app rate limit. Before all of it, the sandbox the call belongs to, from what the call
 * carries: every step after runs on that sandbox's faults, credentials and windows. Control-plane
 * routes carry no operation and pass untouched.
 */
@Injectable()
export class GatewayGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sandboxes: SandboxRegistry,
    private readonly settings: MockFeishuSettings,
  ) {}

  // A handler's operation never changes: read once per handler, not through reflect-metadata per call.
  private readonly operations = new WeakMap<Handler, OperationSpec | null>();

  private operationOf(handler: Handler): OperationSpec | undefined {
    let operation = this.operations.get(handler);
    if (operation === undefined) {
      const spec = this.reflector.get<OperationSpec | undefined>(OPERATION_METADATA, handler);
      const userTokenOnly = this.reflector.get<boolean | undefined>(USER_TOKEN_ONLY_METADATA, handler);
      operation = spec ? { ...spec, userTokenOnly: userTokenOnly === true } : null;
      this.operations.set(handler, operation);
    }
    return operation ?? undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const operation = this.operationOf(context.getHandler());
    if (!operation) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const ctx = requestContext(req);
    ctx.operation = operation.name;
    const sandbox = await this.sandboxOf(req, operation);
    if (sandbox !== ctx.sandbox) {
      ctx.sandbox = sandbox;
      // The journal dates a call on its own sandbox's clock.
      ctx.startedAt = sandbox.clock.now();
    }

    await sandbox.faults.apply(req, operation.name);
    if (!operation.authenticated) return true;

    const principal = await this.authenticate(sandbox.identity, req.headers.authorization);
    ctx.principal = principal;
    const app = await sandbox.identity.findApp(principal.appId);
    if (!app) throw FeishuErrors.invalidTenantAccessToken();
    if (operation.userTokenOnly && principal.kind !== 'user') throw FeishuErrors.tenantTokenNotSupported();
    const granted = grantedScopes(principal, app);
    if (operation.scopes.length > 0 && !operation.scopes.some((scope) => granted.includes(scope))) {
      throw principal.kind === 'user'
        ? FeishuErrors.userScopeRequired(operation.scopes)
        : FeishuErrors.appScopeRequired(app.appId, operation.scopes);
    }
    sandbox.rateLimiter.check(operation.name, principal.appId);
    return true;
  }

  /**
   * A download's code, else the bearer token, else the app a token exchange names (`app_id`, or
   * OAuth's `client_id`): what the call already carries, so no client sends anything extra.
   */
  private sandboxOf(req: Request, operation: OperationSpec): Promise<Sandbox> | Sandbox {
    if (operation.name === 'download') {
      const code = req.query.code;
      return typeof code === 'string' ? this.sandboxes.forCode(code) : this.sandboxes.defaultSandbox;
    }
    const bearer = readBearer(req.headers.authorization);
    if (bearer.kind === 'token') return this.sandboxes.forToken(bearer.token);
    const body = req.body as { app_id?: unknown; client_id?: unknown } | undefined;
    const appId = body?.app_id ?? body?.client_id;
    return typeof appId === 'string' ? this.sandboxes.forApp(appId) : this.sandboxes.defaultSandbox;
  }

  /**
   * The expired-user-token answer is one of two codes (`--expired-user-token-code`): Feishu's
   * documented 99991677, or the 99991668 live probes saw for forged and expired tokens alike.
   */
  private async authenticate(
    identity: IdentityService,
    authorization: string | undefined,
  ): Promise<Principal> {
    try {
      return await identity.authenticate(authorization);
    } catch (error) {
      const expired = error instanceof FeishuError && error.code === FeishuErrorCode.UserAccessTokenExpired;
      if (expired && this.settings.expiredUserTokenCode === FeishuErrorCode.InvalidUserAccessToken) {
        throw FeishuErrors.invalidUserAccessToken();
      }
      throw error;
    }
  }
}
