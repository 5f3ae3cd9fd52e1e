import { FeishuErrorCode } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';

/** An app's credentials as the token endpoints take them. */
export interface AppCredentials {
  appId: string;
  appSecret: string;
}

/**
 * `POST /open-apis/authen/v2/oauth/token`. The code or refresh token is checked for presence
 * only after the client, as Feishu does, so it may be missing here.
 */
export type OAuthGrant =
  | { grantType: 'authorization_code'; clientId: string; clientSecret: string; code?: string }
  | { grantType: 'refresh_token'; clientId: string; clientSecret: string; refreshToken?: string };

type JsonBody = Record<string, unknown> | undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export function parseAppCredentials(body: JsonBody): AppCredentials {
  const appId = text(body?.app_id);
  const appSecret = text(body?.app_secret);
  if (!appId || !appSecret) throw FeishuErrors.authInvalidParam();
  return { appId, appSecret };
}

export const oauthMissing = (name: string) =>
  FeishuErrors.oauth(
    FeishuErrorCode.OAuthMissingParam,
    'invalid_request',
    `The parameter ${name} is missing.`,
  );

export function parseOAuthGrant(body: JsonBody): OAuthGrant {
  const grantType = text(body?.grant_type);
  if (!grantType) throw oauthMissing('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw FeishuErrors.oauth(
      FeishuErrorCode.OAuthUnsupportedGrantType,
      'unsupported_grant_type',
      `The grant_type ${grantType} is not supported.`,
    );
  }
  const clientId = text(body?.client_id);
  if (!clientId) throw oauthMissing('client_id');
  const clientSecret = text(body?.client_secret);
  if (!clientSecret) throw oauthMissing('client_secret');
  return grantType === 'authorization_code'
    ? { grantType, clientId, clientSecret, code: text(body?.code) }
    : { grantType, clientId, clientSecret, refreshToken: text(body?.refresh_token) };
}
