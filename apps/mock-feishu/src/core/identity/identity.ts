import type { Member, UserIdType } from '@feishu-attachments/api-client/wire';

export interface App {
  appId: string;
  appSecret: string;
  /** Scopes the app has been granted; checked on tenant-token calls. */
  scopes: readonly string[];
}

export interface User {
  openId: string;
  unionId: string;
  userId: string;
  name: string;
}

/** A user token pair as issued; the controllers write it in Feishu's snake_case. */
export interface UserTokenGrant {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresIn: number;
  scope: string;
  tokenType: 'Bearer';
}

/** Who is calling: the app itself (tenant token) or a user through an app (user token). */
export type Principal =
  { kind: 'app'; appId: string } | { kind: 'user'; appId: string; openId: string; scopes: readonly string[] };

export type AccessTokenKind = 'tenant' | 'app' | 'user';

export interface AccessTokenRecord {
  token: string;
  kind: AccessTokenKind;
  appId: string;
  openId?: string;
  scopes?: readonly string[];
  issuedAt: number;
  expiresAt: number;
}

export interface RefreshTokenRecord {
  token: string;
  appId: string;
  openId: string;
  scopes: readonly string[];
  expiresAt: number;
  used: boolean;
}

export interface AuthorizationCodeRecord {
  code: string;
  appId: string;
  openId: string;
  scopes: readonly string[];
  expiresAt: number;
  used: boolean;
}

/** A stable key for "this caller", used for ownership and permission checks. */
export const principalKey = (principal: Principal): string =>
  principal.kind === 'app' ? `app:${principal.appId}` : `user:${principal.openId}`;

export function userIdOf(user: User, type: UserIdType): string {
  switch (type) {
    case 'open_id':
      return user.openId;
    case 'union_id':
      return user.unionId;
    case 'user_id':
      return user.userId;
  }
}

/** A member as Feishu writes it: users by the requested id type, apps always by app id. */
export function memberOf(
  key: string,
  userIdType: UserIdType,
  findUser: (openId: string) => User | undefined,
  role?: string,
): Member {
  const [kind, id] = splitKey(key);
  const base =
    kind === 'app'
      ? { id, type: 'app' as const }
      : {
          id: (() => {
            const user = findUser(id);
            return user ? userIdOf(user, userIdType) : id;
          })(),
          type: 'user' as const,
        };
  return role === undefined ? base : { ...base, role };
}

export function splitKey(key: string): ['app' | 'user', string] {
  const index = key.indexOf(':');
  return [key.slice(0, index) as 'app' | 'user', key.slice(index + 1)];
}

/** Scopes in force for a call: a user token carries the user's grant; a tenant token the app's. */
export function grantedScopes(principal: Principal, app: App): readonly string[] {
  return principal.kind === 'user' ? principal.scopes : app.scopes;
}
