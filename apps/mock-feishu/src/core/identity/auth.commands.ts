import { FeishuErrorCode } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../errors/feishu-errors.js';

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

export const oauthMissing = (name: string) =>
  FeishuErrors.oauth(
    FeishuErrorCode.OAuthMissingParam,
    'invalid_request',
    `The parameter ${name} is missing.`,
  );
