import type { UserIdType } from '@feishu-attachments/api-client/wire';
import type {
  AccessTokenRecord,
  App,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  User,
} from './identity.js';

/**
 * Port for apps, users and the credentials issued to them. Records come back as values: a
 * change goes through an operation here, never through a record a caller holds.
 */
export abstract class IdentityRepository {
  /**
   * Stores an app; an existing one with that app_id is overwritten only with `replace`, atomically.
   * @returns false when one existed and was kept
   */
  abstract saveApp(app: App, options: { replace: boolean }): Promise<boolean>;
  abstract findApp(appId: string): Promise<App | undefined>;
  /** Stores a user; as `saveApp`, an existing open_id is overwritten only with `replace`. */
  abstract saveUser(user: User, options: { replace: boolean }): Promise<boolean>;
  abstract findUserBy(type: UserIdType, id: string): Promise<User | undefined>;
  /** The known users among `openIds`, by open_id (for presenting many members at once). */
  abstract findUsers(openIds: readonly string[]): Promise<Map<string, User>>;
  abstract saveAccessToken(record: AccessTokenRecord): Promise<void>;
  abstract findAccessToken(token: string): Promise<AccessTokenRecord | undefined>;
  /** Every app and user, in creation order (for the inspector). */
  abstract listApps(): Promise<App[]>;
  abstract listUsers(): Promise<User[]>;
  /** The newest tenant or app token issued to an app, if any. */
  abstract latestAccessToken(appId: string, kind: 'tenant' | 'app'): Promise<AccessTokenRecord | undefined>;
  abstract saveRefreshToken(record: RefreshTokenRecord): Promise<void>;
  abstract findRefreshToken(token: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks a refresh token used; `true` for exactly one caller, however many race. */
  abstract consumeRefreshToken(token: string): Promise<boolean>;
  abstract saveAuthorizationCode(record: AuthorizationCodeRecord): Promise<void>;
  abstract findAuthorizationCode(code: string): Promise<AuthorizationCodeRecord | undefined>;
  /** Marks a code used; `true` for exactly one caller, however many race. */
  abstract consumeAuthorizationCode(code: string): Promise<boolean>;
  abstract clearCredentials(): Promise<void>;
  abstract clear(): Promise<void>;
}
