import { FeishuPath } from '@feishu-attachments/api-client/wire';
import type { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

/**
 * How an auth route refuses a body the parser could not read (not JSON, too large, an unknown
 * charset): in its own API's shape, never a Task code. Undefined for every other route.
 */
export function unreadableAuthBody(path: string): FeishuError | undefined {
  // Express matches routes case-insensitively and with a trailing slash, so this does too.
  const route = path.toLowerCase().replace(/\/+$/, '');
  if (route === FeishuPath.TenantAccessToken || route === FeishuPath.AppAccessToken) {
    return FeishuErrors.authInvalidParam();
  }
  if (route === FeishuPath.OAuthToken) return FeishuErrors.oauthMalformedRequest();
  if (route === FeishuPath.OidcAccessToken || route === FeishuPath.OidcRefreshAccessToken) {
    return FeishuErrors.inOidcEnvelope(FeishuErrors.oauthMalformedRequest());
  }
  return undefined;
}
