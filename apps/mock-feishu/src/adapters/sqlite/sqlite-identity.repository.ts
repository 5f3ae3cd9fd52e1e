import type { UserIdType } from '@feishu-attachments/api-client/wire';
import type { Database } from './sqlite-database.js';
import type {
  AccessTokenKind,
  AccessTokenRecord,
  App,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  User,
} from '../../core/identity/identity.js';
import { IdentityRepository } from '../../core/identity/identity.repository.js';

interface AppRow {
  app_id: string;
  app_secret: string;
  scopes: string;
}
interface UserRow {
  open_id: string;
  union_id: string;
  user_id: string;
  name: string;
}
interface AccessTokenRow {
  token: string;
  kind: AccessTokenKind;
  app_id: string;
  open_id: string | null;
  scopes: string | null;
  issued_at: number;
  expires_at: number;
}
interface GrantRow {
  app_id: string;
  open_id: string;
  scopes: string;
  expires_at: number;
  used: number;
}

const toApp = (row: AppRow): App => ({
  appId: row.app_id,
  appSecret: row.app_secret,
  scopes: JSON.parse(row.scopes),
});
const toUser = (row: UserRow): User => ({
  openId: row.open_id,
  unionId: row.union_id,
  userId: row.user_id,
  name: row.name,
});
function toAccessToken(row: AccessTokenRow): AccessTokenRecord {
  return {
    token: row.token,
    kind: row.kind,
    appId: row.app_id,
    ...(row.open_id === null ? {} : { openId: row.open_id }),
    ...(row.scopes === null ? {} : { scopes: JSON.parse(row.scopes) as string[] }),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}
const grantOf = (row: GrantRow) => ({
  appId: row.app_id,
  openId: row.open_id,
  scopes: JSON.parse(row.scopes) as string[],
  expiresAt: row.expires_at,
  used: row.used === 1,
});

export class SqliteIdentityRepository extends IdentityRepository {
  private readonly statements;

  constructor(private readonly db: Database) {
    super();
    this.statements = {
      saveApp: db.prepare(
        `INSERT INTO apps (app_id, app_secret, scopes) VALUES (?, ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET app_secret = excluded.app_secret, scopes = excluded.scopes`,
      ),
      insertApp: db.prepare(
        `INSERT INTO apps (app_id, app_secret, scopes) VALUES (?, ?, ?) ON CONFLICT (app_id) DO NOTHING`,
      ),
      findApp: db.prepare(`SELECT * FROM apps WHERE app_id = ?`),
      listApps: db.prepare(`SELECT * FROM apps ORDER BY rowid`),
      listUsers: db.prepare(`SELECT * FROM users ORDER BY rowid`),
      // An upsert, not INSERT OR REPLACE: a replaced user keeps its row, so its place in creation order.
      saveUser: db.prepare(
        `INSERT INTO users (open_id, union_id, user_id, name) VALUES (?, ?, ?, ?)
         ON CONFLICT (open_id) DO UPDATE SET
           union_id = excluded.union_id, user_id = excluded.user_id, name = excluded.name`,
      ),
      insertUser: db.prepare(
        `INSERT INTO users (open_id, union_id, user_id, name) VALUES (?, ?, ?, ?) ON CONFLICT (open_id) DO NOTHING`,
      ),
      userByOpenId: db.prepare(`SELECT * FROM users WHERE open_id = ?`),
      userByUnionId: db.prepare(`SELECT * FROM users WHERE union_id = ? ORDER BY rowid LIMIT 1`),
      userByUserId: db.prepare(`SELECT * FROM users WHERE user_id = ? ORDER BY rowid LIMIT 1`),
      saveAccessToken: db.prepare(
        `INSERT OR REPLACE INTO access_tokens (token, kind, app_id, open_id, scopes, issued_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      findAccessToken: db.prepare(`SELECT * FROM access_tokens WHERE token = ?`),
      latestAccessToken: db.prepare(
        `SELECT * FROM access_tokens WHERE app_id = ? AND kind = ? ORDER BY rowid DESC LIMIT 1`,
      ),
      saveRefreshToken: db.prepare(
        `INSERT OR REPLACE INTO refresh_tokens (token, app_id, open_id, scopes, expires_at, used)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      findRefreshToken: db.prepare(`SELECT * FROM refresh_tokens WHERE token = ?`),
      consumeRefreshToken: db.prepare(`UPDATE refresh_tokens SET used = 1 WHERE token = ? AND used = 0`),
      saveCode: db.prepare(
        `INSERT OR REPLACE INTO authorization_codes (code, app_id, open_id, scopes, expires_at, used)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      findCode: db.prepare(`SELECT * FROM authorization_codes WHERE code = ?`),
      consumeCode: db.prepare(`UPDATE authorization_codes SET used = 1 WHERE code = ? AND used = 0`),
    };
  }

  // One statement either way, so the check for an existing app cannot race the write.
  async saveApp(app: App, { replace }: { replace: boolean }): Promise<boolean> {
    const statement = replace ? this.statements.saveApp : this.statements.insertApp;
    return statement.run(app.appId, app.appSecret, JSON.stringify(app.scopes)).changes > 0;
  }

  async findApp(appId: string): Promise<App | undefined> {
    const row = this.statements.findApp.get(appId) as AppRow | undefined;
    return row && toApp(row);
  }

  async listApps(): Promise<App[]> {
    return (this.statements.listApps.all() as AppRow[]).map(toApp);
  }

  async listUsers(): Promise<User[]> {
    return (this.statements.listUsers.all() as UserRow[]).map(toUser);
  }

  async saveUser(user: User, { replace }: { replace: boolean }): Promise<boolean> {
    const statement = replace ? this.statements.saveUser : this.statements.insertUser;
    return statement.run(user.openId, user.unionId, user.userId, user.name).changes > 0;
  }

  async findUserBy(type: UserIdType, id: string): Promise<User | undefined> {
    const statement =
      type === 'open_id'
        ? this.statements.userByOpenId
        : type === 'union_id'
          ? this.statements.userByUnionId
          : this.statements.userByUserId;
    const row = statement.get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async findUsers(openIds: readonly string[]): Promise<Map<string, User>> {
    const found = new Map<string, User>();
    for (const openId of openIds) {
      const row = this.statements.userByOpenId.get(openId) as UserRow | undefined;
      if (row) found.set(openId, toUser(row));
    }
    return found;
  }

  async saveAccessToken(record: AccessTokenRecord): Promise<void> {
    this.statements.saveAccessToken.run(
      record.token,
      record.kind,
      record.appId,
      record.openId ?? null,
      record.scopes === undefined ? null : JSON.stringify(record.scopes),
      record.issuedAt,
      record.expiresAt,
    );
  }

  async findAccessToken(token: string): Promise<AccessTokenRecord | undefined> {
    const row = this.statements.findAccessToken.get(token) as AccessTokenRow | undefined;
    return row && toAccessToken(row);
  }

  async latestAccessToken(appId: string, kind: 'tenant' | 'app'): Promise<AccessTokenRecord | undefined> {
    const row = this.statements.latestAccessToken.get(appId, kind) as AccessTokenRow | undefined;
    return row && toAccessToken(row);
  }

  async saveRefreshToken(record: RefreshTokenRecord): Promise<void> {
    this.statements.saveRefreshToken.run(
      record.token,
      record.appId,
      record.openId,
      JSON.stringify(record.scopes),
      record.expiresAt,
      record.used ? 1 : 0,
    );
  }

  async findRefreshToken(token: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.statements.findRefreshToken.get(token) as (GrantRow & { token: string }) | undefined;
    return row && { token: row.token, ...grantOf(row) };
  }

  async consumeRefreshToken(token: string): Promise<boolean> {
    return this.statements.consumeRefreshToken.run(token).changes === 1;
  }

  async saveAuthorizationCode(record: AuthorizationCodeRecord): Promise<void> {
    this.statements.saveCode.run(
      record.code,
      record.appId,
      record.openId,
      JSON.stringify(record.scopes),
      record.expiresAt,
      record.used ? 1 : 0,
    );
  }

  async findAuthorizationCode(code: string): Promise<AuthorizationCodeRecord | undefined> {
    const row = this.statements.findCode.get(code) as (GrantRow & { code: string }) | undefined;
    return row && { code: row.code, ...grantOf(row) };
  }

  async consumeAuthorizationCode(code: string): Promise<boolean> {
    return this.statements.consumeCode.run(code).changes === 1;
  }

  async clearCredentials(): Promise<void> {
    this.db.exec(`DELETE FROM access_tokens; DELETE FROM refresh_tokens; DELETE FROM authorization_codes;`);
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM access_tokens; DELETE FROM refresh_tokens; DELETE FROM authorization_codes;`);
      this.db.exec(`DELETE FROM apps; DELETE FROM users;`);
    })();
  }
}
