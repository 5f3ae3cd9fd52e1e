import type { UserIdType } from '@feishu-attachments/api-client/wire';
import type {
  AccessTokenRecord,
  App,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  User,
} from '../../core/identity/identity.js';
import { IdentityRepository } from '../../core/identity/identity.repository.js';

// Records are copied in, so a caller's object never aliases the stored one.
export class InMemoryIdentityRepository extends IdentityRepository {
  private readonly apps = new Map<string, App>();
  private readonly users = new Map<string, User>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly latestByApp = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthorizationCodeRecord>();

  // No await between the check and the write, so two concurrent creations cannot both win.
  async saveApp(app: App, { replace }: { replace: boolean }): Promise<boolean> {
    if (!replace && this.apps.has(app.appId)) return false;
    this.apps.set(app.appId, { ...app });
    return true;
  }

  async findApp(appId: string): Promise<App | undefined> {
    return this.apps.get(appId);
  }

  async saveUser(user: User, { replace }: { replace: boolean }): Promise<boolean> {
    if (!replace && this.users.has(user.openId)) return false;
    this.users.set(user.openId, { ...user });
    return true;
  }

  async findUserBy(type: UserIdType, id: string): Promise<User | undefined> {
    if (type === 'open_id') return this.users.get(id);
    for (const user of this.users.values()) {
      if ((type === 'union_id' ? user.unionId : user.userId) === id) return user;
    }
    return undefined;
  }

  async findUsers(openIds: readonly string[]): Promise<Map<string, User>> {
    const found = new Map<string, User>();
    for (const openId of openIds) {
      const user = this.users.get(openId);
      if (user) found.set(openId, user);
    }
    return found;
  }

  async listApps(): Promise<App[]> {
    return [...this.apps.values()];
  }

  async listUsers(): Promise<User[]> {
    return [...this.users.values()];
  }

  async saveAccessToken(record: AccessTokenRecord): Promise<void> {
    const stored = { ...record };
    this.accessTokens.set(record.token, stored);
    if (record.kind !== 'user') this.latestByApp.set(`${record.kind}:${record.appId}`, stored);
  }

  async findAccessToken(token: string): Promise<AccessTokenRecord | undefined> {
    return this.accessTokens.get(token);
  }

  async latestAccessToken(appId: string, kind: 'tenant' | 'app'): Promise<AccessTokenRecord | undefined> {
    return this.latestByApp.get(`${kind}:${appId}`);
  }

  async saveRefreshToken(record: RefreshTokenRecord): Promise<void> {
    this.refreshTokens.set(record.token, { ...record });
  }

  async findRefreshToken(token: string): Promise<RefreshTokenRecord | undefined> {
    return this.refreshTokens.get(token);
  }

  async consumeRefreshToken(token: string): Promise<boolean> {
    const record = this.refreshTokens.get(token);
    if (!record || record.used) return false;
    this.refreshTokens.set(token, { ...record, used: true });
    return true;
  }

  async saveAuthorizationCode(record: AuthorizationCodeRecord): Promise<void> {
    this.codes.set(record.code, { ...record });
  }

  async findAuthorizationCode(code: string): Promise<AuthorizationCodeRecord | undefined> {
    return this.codes.get(code);
  }

  async consumeAuthorizationCode(code: string): Promise<boolean> {
    const record = this.codes.get(code);
    if (!record || record.used) return false;
    this.codes.set(code, { ...record, used: true });
    return true;
  }

  async clearCredentials(): Promise<void> {
    this.accessTokens.clear();
    this.latestByApp.clear();
    this.refreshTokens.clear();
    this.codes.clear();
  }

  async clear(): Promise<void> {
    await this.clearCredentials();
    this.apps.clear();
    this.users.clear();
  }
}
