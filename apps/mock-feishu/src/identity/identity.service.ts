import { Injectable } from '@nestjs/common';
import {
  ACCESS_TOKEN_REISSUE_WINDOW_SECONDS,
  ACCESS_TOKEN_TTL_SECONDS,
  AUTHORIZATION_CODE_TTL_MS,
  FeishuErrorCode,
  REFRESH_TOKEN_TTL_SECONDS,
  type UserIdType,
} from '@feishu-attachments/api-client/wire';
import { Clock } from '../common/clock.js';
import {
  newAppAccessToken,
  newAuthorizationCode,
  newOpenId,
  newRefreshToken,
  newTenantAccessToken,
  newUnionId,
  newUserAccessToken,
  newUserId,
} from '../common/ids.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { ALL_SCOPES } from '../mock-feishu.settings.js';
import type { AccessTokenRecord, App, Principal, User } from './identity.js';
import { IdentityRepository } from './identity.repository.js';

export interface IssuedUserToken {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  scope: string;
  token_type: 'Bearer';
}

/** Apps, users and every credential: issuing, exchanging and checking them on the injected clock. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
  ) {}

  registerApp(app: App): App {
    this.identities.saveApp(app);
    return app;
  }

  findApp(appId: string): App | undefined {
    return this.identities.findApp(appId);
  }

  createUser(name: string, ids: Partial<Pick<User, 'openId' | 'unionId' | 'userId'>> = {}): User {
    const user: User = {
      name,
      openId: ids.openId ?? newOpenId(),
      unionId: ids.unionId ?? newUnionId(),
      userId: ids.userId ?? newUserId(),
    };
    this.identities.saveUser(user);
    return user;
  }

  findUser(openId: string): User | undefined {
    return this.identities.findUserByOpenId(openId);
  }

  findUserBy(type: UserIdType, id: string): User | undefined {
    return this.identities.findUserBy(type, id);
  }

  /**
   * Feishu: while at least 30 minutes remain the same token comes back with `expire` counting
   * down; after that a new token is issued and the old one stays valid until it expires.
   */
  issueInternalToken(appId: unknown, appSecret: unknown, kind: 'tenant' | 'app'): AccessTokenRecord {
    if (typeof appId !== 'string' || appId === '' || typeof appSecret !== 'string' || appSecret === '') {
      throw FeishuErrors.authInvalidParam();
    }
    const app = this.identities.findApp(appId);
    if (!app) throw FeishuErrors.authInvalidParam();
    if (app.appSecret !== appSecret) throw FeishuErrors.authAppSecretInvalid();

    const now = this.clock.now();
    const latest = this.identities.latestAccessToken(appId, kind);
    if (latest && latest.expiresAt - now >= ACCESS_TOKEN_REISSUE_WINDOW_SECONDS * 1000) return latest;

    const record: AccessTokenRecord = {
      token: kind === 'tenant' ? newTenantAccessToken() : newAppAccessToken(),
      kind,
      appId,
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
    };
    this.identities.saveAccessToken(record);
    return record;
  }

  /**
   * Seconds left on a token, as Feishu's `expire` counts. Rounded up: the wall clock moves a few
   * milliseconds between issuing and answering, and a fresh token must still report the full
   * 7200 (and one read 10 minutes later 6600), not 7199 / 6599 depending on timing.
   */
  secondsLeft(record: { expiresAt: number }): number {
    return Math.max(0, Math.ceil((record.expiresAt - this.clock.now()) / 1000));
  }

  issueUserToken(appId: string, openId: string, scopes: readonly string[] = ALL_SCOPES): IssuedUserToken {
    if (!this.identities.findApp(appId)) throw FeishuErrors.invalidParam('app_id', `no app ${appId}`);
    if (!this.identities.findUserByOpenId(openId)) {
      throw FeishuErrors.invalidParam('open_id', `no user ${openId}; create one with POST /__mock/users`);
    }
    const now = this.clock.now();
    const access: AccessTokenRecord = {
      token: newUserAccessToken(openId),
      kind: 'user',
      appId,
      openId,
      scopes,
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
    };
    this.identities.saveAccessToken(access);
    const refresh = newRefreshToken();
    this.identities.saveRefreshToken({
      token: refresh,
      appId,
      openId,
      scopes,
      expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      used: false,
    });
    return {
      access_token: access.token,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refresh,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
      scope: scopes.join(' '),
      token_type: 'Bearer',
    };
  }

  issueAuthorizationCode(appId: string, openId: string, scopes: readonly string[] = ALL_SCOPES): string {
    if (!this.identities.findApp(appId)) throw FeishuErrors.invalidParam('app_id', `no app ${appId}`);
    if (!this.identities.findUserByOpenId(openId)) {
      throw FeishuErrors.invalidParam('open_id', `no user ${openId}; create one with POST /__mock/users`);
    }
    const code = newAuthorizationCode();
    this.identities.saveAuthorizationCode({
      code,
      appId,
      openId,
      scopes,
      expiresAt: this.clock.now() + AUTHORIZATION_CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** `POST /open-apis/authen/v2/oauth/token`: codes and refresh tokens are single use. */
  exchangeOAuth(body: Record<string, unknown>): IssuedUserToken {
    const { grant_type: grantType, client_id: clientId, client_secret: clientSecret } = body;
    const missing = (name: string) =>
      FeishuErrors.oauth(
        FeishuErrorCode.OAuthMissingParam,
        'invalid_request',
        `The parameter ${name} is missing.`,
      );
    if (typeof grantType !== 'string' || grantType === '') throw missing('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthUnsupportedGrantType,
        'unsupported_grant_type',
        `The grant_type ${grantType} is not supported.`,
      );
    }
    if (typeof clientId !== 'string' || clientId === '') throw missing('client_id');
    if (typeof clientSecret !== 'string' || clientSecret === '') throw missing('client_secret');
    const app = this.identities.findApp(clientId);
    if (!app) {
      throw FeishuErrors.oauth(FeishuErrorCode.OAuthAppNotFound, 'invalid_client', 'The app does not exist.');
    }
    if (app.appSecret !== clientSecret) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthInvalidClientSecret,
        'invalid_client',
        'The client_secret is invalid.',
      );
    }
    const now = this.clock.now();

    if (grantType === 'authorization_code') {
      if (typeof body.code !== 'string' || body.code === '') throw missing('code');
      const record = this.identities.findAuthorizationCode(body.code);
      if (!record) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthCodeNotFound,
          'invalid_grant',
          'The authorization code is not found or has been used.',
        );
      }
      if (record.appId !== clientId) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthClientMismatch,
          'invalid_grant',
          'The authorization code does not belong to this client.',
        );
      }
      if (record.used) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthCodeAlreadyUsed,
          'invalid_grant',
          'The authorization code has already been used.',
        );
      }
      if (now >= record.expiresAt) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthCodeExpired,
          'invalid_grant',
          'The authorization code has expired.',
        );
      }
      record.used = true;
      return this.issueUserToken(record.appId, record.openId, record.scopes);
    }

    if (typeof body.refresh_token !== 'string' || body.refresh_token === '') throw missing('refresh_token');
    const record = this.identities.findRefreshToken(body.refresh_token);
    if (!record) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthRefreshTokenInvalid,
        'invalid_grant',
        'The refresh token is invalid.',
      );
    }
    if (record.appId !== clientId) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthClientMismatch,
        'invalid_grant',
        'The refresh token does not belong to this client.',
      );
    }
    if (record.used) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthRefreshTokenAlreadyUsed,
        'invalid_grant',
        'The refresh token has already been used.',
      );
    }
    if (now >= record.expiresAt) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthRefreshTokenExpired,
        'invalid_grant',
        'The refresh token has expired.',
      );
    }
    record.used = true;
    return this.issueUserToken(record.appId, record.openId, record.scopes);
  }

  /**
   * The gateway's bearer check. Feishu tells token kinds apart by prefix: `t-`/`a-` are
   * tenant/app tokens, `u-` and JWTs (`eyJ…`) are user tokens.
   */
  authenticate(authorization: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw FeishuErrors.missingAccessToken();
    const token = match[1];
    const isUserToken = token.startsWith('u-') || token.startsWith('eyJ');
    const record = this.identities.findAccessToken(token);
    const now = this.clock.now();

    if (isUserToken) {
      if (!record || record.kind !== 'user' || !record.openId) throw FeishuErrors.invalidUserAccessToken();
      if (now >= record.expiresAt) throw FeishuErrors.userAccessTokenExpired();
      return {
        kind: 'user',
        appId: record.appId,
        openId: record.openId,
        scopes: record.scopes ?? ALL_SCOPES,
      };
    }
    // An app_access_token is not accepted by the Task APIs: it fails like a bad tenant token.
    if (!record || record.kind !== 'tenant' || now >= record.expiresAt)
      throw FeishuErrors.invalidTenantAccessToken();
    return { kind: 'app', appId: record.appId };
  }

  /** Drops every issued credential but keeps apps and users. */
  revokeAllCredentials(): void {
    this.identities.clearCredentials();
  }

  clear(): void {
    this.identities.clear();
  }
}
