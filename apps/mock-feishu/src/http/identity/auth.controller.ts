import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  FeishuPath,
  type AppAccessTokenResponse,
  type OAuthTokenResponse,
  type TenantAccessTokenResponse,
} from '@feishu-attachments/api-client/wire';
import { PublicFeishuOperation } from '../gateway/feishu-operation.decorator.js';
import { parseAppCredentials, parseOAuthGrant } from './auth.params.js';
import { IdentityService, type UserTokenGrant } from '../../core/identity/identity.service.js';

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

/** Token endpoints; their bodies are flat (no `data` wrapper), as Feishu's are. */
@Controller()
export class AuthController {
  constructor(private readonly identity: IdentityService) {}

  @Post(FeishuPath.TenantAccessToken)
  @HttpCode(200)
  @PublicFeishuOperation('auth.tenantAccessToken')
  async tenantAccessToken(@Body() body: unknown): Promise<TenantAccessTokenResponse> {
    const record = await this.identity.issueInternalToken(parseAppCredentials(body), 'tenant');
    return {
      code: 0,
      msg: 'ok',
      tenant_access_token: record.token,
      expire: this.identity.secondsLeft(record),
    };
  }

  @Post(FeishuPath.AppAccessToken)
  @HttpCode(200)
  @PublicFeishuOperation('auth.appAccessToken')
  async appAccessToken(@Body() body: unknown): Promise<AppAccessTokenResponse> {
    const credentials = parseAppCredentials(body);
    const app = await this.identity.issueInternalToken(credentials, 'app');
    const tenant = await this.identity.issueInternalToken(credentials, 'tenant');
    return {
      code: 0,
      msg: 'ok',
      app_access_token: app.token,
      expire: this.identity.secondsLeft(app),
      tenant_access_token: tenant.token,
    };
  }

  @Post(FeishuPath.OAuthToken)
  @HttpCode(200)
  @PublicFeishuOperation('authen.oauthToken')
  async oauthToken(@Body() body: unknown): Promise<OAuthTokenResponse> {
    return { code: 0, ...userTokenWire(await this.identity.exchangeOAuth(parseOAuthGrant(body))) };
  }
}
