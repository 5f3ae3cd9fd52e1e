import { Injectable } from '@nestjs/common';
import type {
  AccessTokenRecord,
  App,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  User,
} from './identity.js';
import { IdentityRepository } from './identity.repository.js';

@Injectable()
export class InMemoryIdentityRepository extends IdentityRepository {
  private readonly apps = new Map<string, App>();
  private readonly users = new Map<string, User>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly latestByApp = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthorizationCodeRecord>();

  saveApp(app: App): void {
    this.apps.set(app.appId, app);
  }
  findApp(appId: string): App | undefined {
    return this.apps.get(appId);
  }
  saveUser(user: User): void {
    this.users.set(user.openId, user);
  }
  findUserByOpenId(openId: string): User | undefined {
    return this.users.get(openId);
  }
  findUserBy(type: 'open_id' | 'union_id' | 'user_id', id: string): User | undefined {
    if (type === 'open_id') return this.users.get(id);
    for (const user of this.users.values()) {
      if ((type === 'union_id' ? user.unionId : user.userId) === id) return user;
    }
    return undefined;
  }
  async listApps(): Promise<App[]> {
    return [...this.apps.values()];
  }
  async listUsers(): Promise<User[]> {
    return [...this.users.values()];
  }
  saveAccessToken(record: AccessTokenRecord): void {
    this.accessTokens.set(record.token, record);
    if (record.kind !== 'user') this.latestByApp.set(`${record.kind}:${record.appId}`, record);
  }
  findAccessToken(token: string): AccessTokenRecord | undefined {
    return this.accessTokens.get(token);
  }
  latestAccessToken(appId: string, kind: 'tenant' | 'app'): AccessTokenRecord | undefined {
    return this.latestByApp.get(`${kind}:${appId}`);
  }
  saveRefreshToken(record: RefreshTokenRecord): void {
    this.refreshTokens.set(record.token, record);
  }
  findRefreshToken(token: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(token);
  }
  saveAuthorizationCode(record: AuthorizationCodeRecord): void {
    this.codes.set(record.code, record);
  }
  findAuthorizationCode(code: string): AuthorizationCodeRecord | undefined {
    return this.codes.get(code);
  }
  clearCredentials(): void {
    this.accessTokens.clear();
    this.latestByApp.clear();
    this.refreshTokens.clear();
    this.codes.clear();
  }
  clear(): void {
    this.clearCredentials();
    this.apps.clear();
    this.users.clear();
  }
}
