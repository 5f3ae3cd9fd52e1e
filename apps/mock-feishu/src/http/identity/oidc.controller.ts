import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { FeishuPath, type FeishuEnvelope, type OidcTokenData } from '@feishu-attachments/api-client/wire';
import { principalOf, sandboxOf } from '../request/request-context.js';
import { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { FeishuOperation, OperationScopes } from '../gateway/feishu-operation.decorator.js';
import { ok } from '../presenters/envelope.js';
import type { OAuthGrant } from '../../core/identity/auth.commands.js';
import { parseOidcGrant } from './auth.params.js';
import type { UserTokenGrant } from '../../core/identity/identity.service.js';

/**
 * The legacy authen v1 user-token routes, which the official node-sdk's `client.userAccessToken`
 * still calls. The app is the bearer of the tenant token (the SDK sends it), so no client
 * secret travels; codes and refresh tokens are the same single-use ones as OAuth v2's, and the
 * answer is wrapped in `data` (node-sdk typing, feishu-api.md §10.2).
 */
@Controller()
export class OidcController {
  @Post(FeishuPath.OidcAccessToken)
  @HttpCode(200)
  @FeishuOperation('authen.oidcAccessToken', OperationScopes.none)
  accessToken(@Req() req: Request, @Body() body: unknown): Promise<FeishuEnvelope<OidcTokenData>> {
    return this.exchange(req, body, 'authorization_code');
  }

  @Post(FeishuPath.OidcRefreshAccessToken)
  @HttpCode(200)
  @FeishuOperation('authen.oidcRefreshAccessToken', OperationScopes.none)
  refreshAccessToken(@Req() req: Request, @Body() body: unknown): Promise<FeishuEnvelope<OidcTokenData>> {
    return this.exchange(req, body, 'refresh_token');
  }

  private async exchange(
    req: Request,
    body: unknown,
    grantType: 'authorization_code' | 'refresh_token',
  ): Promise<FeishuEnvelope<OidcTokenData>> {
    const principal = principalOf(req);
    const { identity } = sandboxOf(req);
    // A user token cannot stand for an app here.
    if (principal.kind !== 'app') throw FeishuErrors.invalidTenantAccessToken();
    let issued: UserTokenGrant;
    try {
      const given = parseOidcGrant(body, grantType);
      const app = await identity.findApp(principal.appId);
      if (!app) throw FeishuErrors.invalidTenantAccessToken();
      const grant: OAuthGrant =
        grantType === 'authorization_code'
          ? { grantType, clientId: app.appId, clientSecret: app.appSecret, code: given }
          : { grantType, clientId: app.appId, clientSecret: app.appSecret, refreshToken: given };
      issued = await identity.exchangeOAuth(grant);
    } catch (error) {
      // Same codes as OAuth v2 (20001, 20003, 20026, …), in the v1 envelope rather than OAuth's shape.
      if (error instanceof FeishuError && error.body.kind === 'oauth')
        throw FeishuErrors.inOidcEnvelope(error);
      throw error;
    }
    return ok({
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      token_type: issued.tokenType,
      expires_in: issued.expiresIn,
      refresh_expires_in: issued.refreshTokenExpiresIn,
      scope: issued.scope,
    });
  }
}
