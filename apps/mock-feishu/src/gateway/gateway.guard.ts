import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { requestContext } from '../common/request-context.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { grantedScopes } from '../identity/identity.js';
import { IdentityService } from '../identity/identity.service.js';
import { RateLimiterService } from '../rate-limits/rate-limiter.service.js';
import { FaultsService } from '../control-plane/faults.service.js';
import { OPERATION_METADATA, type OperationSpec } from './feishu-operation.decorator.js';

/**
 * Feishu's gateway, in its order: injected faults first (so any call can be made to fail),
 * then the bearer token, the scopes, and the per-app rate limit. Control-plane routes carry no
 * operation and pass untouched.
 */
@Injectable()
export class GatewayGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly faults: FaultsService,
    private readonly identity: IdentityService,
    private readonly rateLimiter: RateLimiterService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const operation = this.reflector.get<OperationSpec | undefined>(OPERATION_METADATA, context.getHandler());
    if (!operation) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const ctx = requestContext(req);
    ctx.operation = operation.name;

    await this.faults.apply(req, operation.name);
    if (!operation.authenticated) return true;

    const principal = await this.identity.authenticate(req.headers.authorization);
    ctx.principal = principal;
    const app = await this.identity.findApp(principal.appId);
    if (!app) throw FeishuErrors.invalidTenantAccessToken();
    const granted = grantedScopes(principal, app);
    if (operation.scopes.length > 0 && !operation.scopes.some((scope) => granted.includes(scope))) {
      throw principal.kind === 'user'
        ? FeishuErrors.userScopeRequired(operation.scopes)
        : FeishuErrors.appScopeRequired(app.appId, operation.scopes);
    }
    this.rateLimiter.check(operation.name, principal.appId);
    return true;
  }
}
