import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  FeishuPath,
  type AppAccessTokenResponse,
  type OAuthTokenResponse,
  type TenantAccessTokenResponse,
} from '@feishu-attachments/api-client/wire';
import { PublicFeishuOperation } from '../gateway/feishu-operation.decorator.js';
import { IdentityService } from './identity.service.js';

type JsonBody = Record<string, unknown> | undefined;

/** Token endpoints; their bodies are flat (no `data` wrapper), as Feishu's are. */
@Controller()
export class AuthController {
  constructor(private readonly identity: IdentityService) {}

  @Post(FeishuPath.TenantAccessToken)
  @HttpCode(200)
  @PublicFeishuOperation('auth.tenantAccessToken')
  tenantAccessToken(@Body() body: JsonBody): TenantAccessTokenResponse {
    const record = this.identity.issueInternalToken(body?.app_id, body?.app_secret, 'tenant');
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
  appAccessToken(@Body() body: JsonBody): AppAccessTokenResponse {
    const app = this.identity.issueInternalToken(body?.app_id, body?.app_secret, 'app');
    const tenant = this.identity.issueInternalToken(body?.app_id, body?.app_secret, 'tenant');
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
  oauthToken(@Body() body: JsonBody): OAuthTokenResponse {
    return { code: 0, ...this.identity.exchangeOAuth(body ?? {}) };
  }
}
