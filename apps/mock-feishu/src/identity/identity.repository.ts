import type {
  AccessTokenRecord,
  App,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  User,
} from './identity.js';

/** Port for apps, users and the credentials issued to them. */
export abstract class IdentityRepository {
  abstract saveApp(app: App): void;
  abstract findApp(appId: string): App | undefined;
  abstract saveUser(user: User): void;
  abstract findUserByOpenId(openId: string): User | undefined;
  abstract findUserBy(type: 'open_id' | 'union_id' | 'user_id', id: string): User | undefined;
  /** Every app and user, in creation order (for the inspector). */
  abstract listApps(): Promise<App[]>;
  abstract listUsers(): Promise<User[]>;
  abstract saveAccessToken(record: AccessTokenRecord): void;
  abstract findAccessToken(token: string): AccessTokenRecord | undefined;
  /** The newest tenant or app token issued to an app, if any. */
  abstract latestAccessToken(appId: string, kind: 'tenant' | 'app'): AccessTokenRecord | undefined;
  abstract saveRefreshToken(record: RefreshTokenRecord): void;
  abstract findRefreshToken(token: string): RefreshTokenRecord | undefined;
  abstract saveAuthorizationCode(record: AuthorizationCodeRecord): void;
  abstract findAuthorizationCode(code: string): AuthorizationCodeRecord | undefined;
  abstract clearCredentials(): void;
  abstract clear(): void;
}
