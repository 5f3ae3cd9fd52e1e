/** Body of `POST /open-apis/auth/v3/{tenant,app}_access_token/internal`. */
export interface InternalTokenRequest {
  app_id: string;
  app_secret: string;
}

/** The tenant token response is flat: no `data` wrapper. */
export interface TenantAccessTokenResponse {
  code: number;
  msg: string;
  tenant_access_token?: string;
  expire?: number;
}

export interface AppAccessTokenResponse {
  code: number;
  msg: string;
  app_access_token?: string;
  tenant_access_token?: string;
  expire?: number;
}

/** Body of `POST /open-apis/authen/v2/oauth/token`. */
export interface OAuthTokenRequest {
  grant_type: 'authorization_code' | 'refresh_token';
  client_id: string;
  client_secret: string;
  code?: string;
  refresh_token?: string;
  redirect_uri?: string;
  code_verifier?: string;
  scope?: string;
}

export interface OAuthTokenResponse {
  code: number;
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
  token_type?: 'Bearer';
  error?: string;
  error_description?: string;
}

/** `data` of the legacy `POST /open-apis/authen/v1/oidc/{access_token,refresh_access_token}`, wrapped in the envelope. */
export interface OidcTokenData {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
  scope: string;
}
