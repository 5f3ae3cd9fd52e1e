import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type AppAccessTokenResponse,
  type OAuthTokenResponse,
  type TenantAccessTokenResponse,
} from '@feishu-attachments/api-client/wire';
import { PublicFeishuOperation } from '../gateway/feishu-operation.decorator.js';
import { parseAppCredentials, parseOAuthGrant } from './auth.params.js';
import type { UserTokenGrant } from '../../core/identity/identity.service.js';
import { sandboxOf } from '../request/request-context.js';

/** A user token pair in Feishu's wire shape (OAuth token endpoint, control plane). */
export function userTokenWire(grant: UserTokenGrant) {
  return {
    access_token: grant.accessToken,
    expires_in: grant.expiresIn,
    refresh_token: grant.refreshToken,
    refresh_token_expires_in: grant.refreshTokenExpiresIn,
    scope: grant.scope,
    token_type: grant.tokenType,
  };
}

/**
 * Token endpoints; their bodies are flat (no `data` wrapper), as Feishu's are. Each works in the
 * sandbox holding the app the body names (the gateway finds it).
 */
@Controller()
export class AuthController {
  @Post(FeishuPath.TenantAccessToken)
  @HttpCode(200)
  @PublicFeishuOperation('auth.tenantAccessToken')
  async tenantAccessToken(@Req() req: Request, @Body() body: unknown): Promise<TenantAccessTokenResponse> {
    const { identity } = sandboxOf(req);
    const record = await identity.issueInternalToken(parseAppCredentials(body), 'tenant');
    return {
      code: 0,
      msg: 'ok',
      tenant_access_token: record.token,
      expire: identity.secondsLeft(record),
    };
  }

  @Post(FeishuPath.AppAccessToken)
  @HttpCode(200)
  @PublicFeishuOperation('auth.appAccessToken')
  async appAccessToken(@Req() req: Request, @Body() body: unknown): Promise<AppAccessTokenResponse> {
    const { identity } = sandboxOf(req);
    const credentials = parseAppCredentials(body);
    const app = await identity.issueInternalToken(credentials, 'app');
    const tenant = await identity.issueInternalToken(credentials, 'tenant');
    return {
      code: 0,
      msg: 'ok',
      app_access_token: app.token,
      expire: identity.secondsLeft(app),
      tenant_access_token: tenant.token,
    };
  }

  @Post(FeishuPath.OAuthToken)
  @HttpCode(200)
  @PublicFeishuOperation('authen.oauthToken')
  async oauthToken(@Req() req: Request, @Body() body: unknown): Promise<OAuthTokenResponse> {
    const grant = parseOAuthGrant(body);
    return { code: 0, ...userTokenWire(await sandboxOf(req).identity.exchangeOAuth(grant)) };
  }
}
