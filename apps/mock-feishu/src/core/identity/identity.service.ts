import {
  ACCESS_TOKEN_REISSUE_WINDOW_SECONDS,
  ACCESS_TOKEN_TTL_SECONDS,
  AUTHORIZATION_CODE_TTL_MS,
  FeishuErrorCode,
  REFRESH_TOKEN_TTL_SECONDS,
  type UserIdType,
} from '@feishu-attachments/api-client/wire';
import { Clock } from '../shared/clock.js';
import {
  newAppAccessToken,
  newAuthorizationCode,
  newOpenId,
  newRefreshToken,
  newTenantAccessToken,
  newUnionId,
  newUserAccessToken,
  newUserId,
} from '../shared/ids.js';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { ALL_SCOPES } from '../../config/mock-feishu.settings.js';
import type { AccessTokenRecord, App, Principal, User, UserTokenGrant } from './identity.js';
import { oauthMissing, type AppCredentials, type OAuthGrant } from './auth.commands.js';
import { IdentityRepository } from './identity.repository.js';
import { readBearer } from './bearer-token.js';

// In identity.ts, a module of types only, so the seeder's public type reaches no service.
export type { UserTokenGrant } from './identity.js';

/** Apps, users and every credential: issuing, exchanging and checking them on the injected clock. */
export class IdentityService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly clock: Clock,
    /** The sandbox whose id its access tokens carry ('' for the default one's: sandbox-id.ts). */
    private readonly sandboxTag = '',
  ) {}

  /** Stores an app; one with the same app_id is a 409 unless `replace`. */
  async registerApp(app: App, { replace = false }: { replace?: boolean } = {}): Promise<App> {
    if (!(await this.identities.saveApp(app, { replace })))
      throw FeishuErrors.alreadyExists('app_id', app.appId);
    return app;
  }

  findApp(appId: string): Promise<App | undefined> {
    return this.identities.findApp(appId);
  }

  /** Stores a user; one with the same open_id is a 409 unless `replace`. */
  async createUser(
    name: string,
    ids: Partial<Pick<User, 'openId' | 'unionId' | 'userId'>> = {},
    { replace = false }: { replace?: boolean } = {},
  ): Promise<User> {
    const user: User = {
      name,
      openId: ids.openId ?? newOpenId(),
      unionId: ids.unionId ?? newUnionId(),
      userId: ids.userId ?? newUserId(),
    };
    if (!(await this.identities.saveUser(user, { replace })))
      throw FeishuErrors.alreadyExists('open_id', user.openId);
    return user;
  }

  findUser(openId: string): Promise<User | undefined> {
    return this.identities.findUserBy('open_id', openId);
  }

  findUserBy(type: UserIdType, id: string): Promise<User | undefined> {
    return this.identities.findUserBy(type, id);
  }

  findUsers(openIds: readonly string[]): Promise<Map<string, User>> {
    return this.identities.findUsers(openIds);
  }

  /** Every app, in creation order, for an operator (the inspector page). */
  listApps(): Promise<App[]> {
    return this.identities.listApps();
  }

  /** Every user, in creation order, for an operator (the inspector page). */
  listUsers(): Promise<User[]> {
    return this.identities.listUsers();
  }

  /**
   * Feishu: while at least 30 minutes remain the same token comes back with `expire` counting
   * down; after that a new token is issued and the old one stays valid until it expires.
   */
  async issueInternalToken(
    { appId, appSecret }: AppCredentials,
    kind: 'tenant' | 'app',
  ): Promise<AccessTokenRecord> {
    const app = await this.identities.findApp(appId);
    if (!app) throw FeishuErrors.authInvalidParam();
    if (app.appSecret !== appSecret) throw FeishuErrors.authAppSecretInvalid();
    const now = this.clock.now();
    const latest = await this.identities.latestAccessToken(appId, kind);
    if (latest && latest.expiresAt - now >= ACCESS_TOKEN_REISSUE_WINDOW_SECONDS * 1000) return latest;
    const record: AccessTokenRecord = {
      token: kind === 'tenant' ? newTenantAccessToken(this.sandboxTag) : newAppAccessToken(this.sandboxTag),
      kind,
      appId,
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
    };
    await this.identities.saveAccessToken(record);
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

  async issueUserToken(
    appId: string,
    openId: string,
    scopes: readonly string[] = ALL_SCOPES,
  ): Promise<UserTokenGrant> {
    await this.requireAppAndUser(appId, openId);
    const now = this.clock.now();
    const access: AccessTokenRecord = {
      token: newUserAccessToken(openId, this.sandboxTag),
      kind: 'user',
      appId,
      openId,
      scopes,
      issuedAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
    };
    await this.identities.saveAccessToken(access);
    const refresh = newRefreshToken();
    await this.identities.saveRefreshToken({
      token: refresh,
      appId,
      openId,
      scopes,
      expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      used: false,
    });
    return {
      accessToken: access.token,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: refresh,
      refreshTokenExpiresIn: REFRESH_TOKEN_TTL_SECONDS,
      scope: scopes.join(' '),
      tokenType: 'Bearer',
    };
  }

  async issueAuthorizationCode(
    appId: string,
    openId: string,
    scopes: readonly string[] = ALL_SCOPES,
  ): Promise<string> {
    await this.requireAppAndUser(appId, openId);
    const code = newAuthorizationCode();
    await this.identities.saveAuthorizationCode({
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
  async exchangeOAuth(grant: OAuthGrant): Promise<UserTokenGrant> {
    const app = await this.identities.findApp(grant.clientId);
    if (!app) {
      throw FeishuErrors.oauth(FeishuErrorCode.OAuthAppNotFound, 'invalid_client', 'The app does not exist.');
    }
    if (app.appSecret !== grant.clientSecret) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthInvalidClientSecret,
        'invalid_client',
        'The client_secret is invalid.',
      );
    }
    const now = this.clock.now();
    if (grant.grantType === 'authorization_code') {
      if (grant.code === undefined) throw oauthMissing('code');
      const record = await this.identities.findAuthorizationCode(grant.code);
      if (!record) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthCodeNotFound,
          'invalid_grant',
          'The authorization code is not found or has been used.',
        );
      }
      if (record.appId !== grant.clientId) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthClientMismatch,
          'invalid_grant',
          'The authorization code does not belong to this client.',
        );
      }
      const alreadyUsed = () =>
        FeishuErrors.oauth(
          FeishuErrorCode.OAuthCodeAlreadyUsed,
          'invalid_grant',
          'The authorization code has already been used.',
        );
      if (record.used) throw alreadyUsed();
      if (now >= record.expiresAt) {
        throw FeishuErrors.oauth(
          FeishuErrorCode.OAuthCodeExpired,
          'invalid_grant',
          'The authorization code has expired.',
        );
      }
      if (!(await this.identities.consumeAuthorizationCode(grant.code))) throw alreadyUsed();
      return this.issueUserToken(record.appId, record.openId, record.scopes);
    }
    if (grant.refreshToken === undefined) throw oauthMissing('refresh_token');
    const record = await this.identities.findRefreshToken(grant.refreshToken);
    if (!record) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthRefreshTokenInvalid,
        'invalid_grant',
        'The refresh token is invalid.',
      );
    }
    if (record.appId !== grant.clientId) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthClientMismatch,
        'invalid_grant',
        'The refresh token does not belong to this client.',
      );
    }
    const alreadyUsed = () =>
      FeishuErrors.oauth(
        FeishuErrorCode.OAuthRefreshTokenAlreadyUsed,
        'invalid_grant',
        'The refresh token has already been used.',
      );
    if (record.used) throw alreadyUsed();
    if (now >= record.expiresAt) {
      throw FeishuErrors.oauth(
        FeishuErrorCode.OAuthRefreshTokenExpired,
        'invalid_grant',
        'The refresh token has expired.',
      );
    }
    if (!(await this.identities.consumeRefreshToken(grant.refreshToken))) throw alreadyUsed();
    return this.issueUserToken(record.appId, record.openId, record.scopes);
  }

  /**
   * The gateway's bearer check. Feishu tells token kinds apart by prefix: `t-`/`a-` are
   * tenant/app tokens, `u-` and JWTs (`eyJ…`) are user tokens.
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const credential = readBearer(authorization);
    if (credential.kind === 'missing') throw FeishuErrors.missingAccessToken();
    if (credential.kind === 'malformed') throw FeishuErrors.invalidTenantAccessToken();
    const token = credential.token;
    const isUserToken = token.startsWith('u-') || token.startsWith('eyJ');
    const record = await this.identities.findAccessToken(token);
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
  revokeAllCredentials(): Promise<void> {
    return this.identities.clearCredentials();
  }

  clear(): Promise<void> {
    return this.identities.clear();
  }

  private async requireAppAndUser(appId: string, openId: string): Promise<void> {
    if (!(await this.identities.findApp(appId))) throw FeishuErrors.invalidParam('app_id', `no app ${appId}`);
    if (!(await this.identities.findUserBy('open_id', openId))) {
      throw FeishuErrors.invalidParam('open_id', `no user ${openId}; create one with POST /__mock/users`);
    }
  }
}
