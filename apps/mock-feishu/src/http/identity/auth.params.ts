import { FeishuErrorCode } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { oauthMissing, type AppCredentials, type OAuthGrant } from '../../core/identity/auth.commands.js';

// The auth routes' request parsing: token-endpoint bodies into the commands of core/identity.

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The auth v3 endpoints answer any body they cannot use, of whatever shape, with 10003. */
export function parseAppCredentials(body: unknown): AppCredentials {
  const fields = isObject(body) ? body : {};
  const appId = text(fields.app_id);
  const appSecret = text(fields.app_secret);
  if (!appId || !appSecret) throw FeishuErrors.authInvalidParam();
  return { appId, appSecret };
}

/** `null` is valid JSON that carries nothing, so every parameter is missing; an array or a scalar is malformed. */
function oauthFields(body: unknown): Record<string, unknown> {
  if (body === null || body === undefined) return {};
  if (!isObject(body)) throw FeishuErrors.oauthMalformedRequest();
  return body;
}

/** An absent or empty parameter is missing (20001); one that is there but not a string is malformed (20063). */
function oauthText(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw FeishuErrors.oauthMalformedRequest();
  return value;
}

export function parseOAuthGrant(body: unknown): OAuthGrant {
  const fields = oauthFields(body);
  const grantType = oauthText(fields, 'grant_type');
  if (!grantType) throw oauthMissing('grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw FeishuErrors.oauth(
      FeishuErrorCode.OAuthUnsupportedGrantType,
      'unsupported_grant_type',
      `The grant_type ${grantType} is not supported.`,
    );
  }
  const clientId = oauthText(fields, 'client_id');
  if (!clientId) throw oauthMissing('client_id');
  const clientSecret = oauthText(fields, 'client_secret');
  if (!clientSecret) throw oauthMissing('client_secret');
  return grantType === 'authorization_code'
    ? { grantType, clientId, clientSecret, code: oauthText(fields, 'code') }
    : { grantType, clientId, clientSecret, refreshToken: oauthText(fields, 'refresh_token') };
}

/**
 * The legacy v1 oidc routes: one grant type each, the code or refresh token in the body (its
 * presence is checked after the app, as OAuth v2 does). Refusals carry OAuth v2's codes; the
 * controller writes them in the v1 envelope.
 */
export function parseOidcGrant(
  body: unknown,
  grantType: 'authorization_code' | 'refresh_token',
): string | undefined {
  const fields = oauthFields(body);
  const given = oauthText(fields, 'grant_type');
  if (!given) throw oauthMissing('grant_type');
  if (given !== grantType) {
    throw FeishuErrors.oauth(
      FeishuErrorCode.OAuthUnsupportedGrantType,
      'unsupported_grant_type',
      `The grant_type ${given} is not supported here: this route takes ${grantType}.`,
    );
  }
  return oauthText(fields, grantType === 'authorization_code' ? 'code' : 'refresh_token');
}
