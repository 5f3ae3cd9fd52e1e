import type {
  AccessTokenRecord,
  App,
  AuthorizationCodeRecord,
  RefreshTokenRecord,
  User,
} from '../../core/identity/identity.js';
import type { IdentityRepository } from '../../core/identity/identity.repository.js';
import { freshEach, T0, together, type OpenPort } from './port-harness.js';

const app = (appId: string, fields: Partial<App> = {}): App => ({
  appId,
  appSecret: `${appId}-secret`,
  scopes: ['task:task:read', 'task:attachment:write'],
  ...fields,
});
const user = (openId: string, fields: Partial<User> = {}): User => ({
  openId,
  unionId: `on_${openId}`,
  userId: `uid_${openId}`,
  name: `User ${openId}`,
  ...fields,
});
const tenantToken = (token: string, appId: string, issuedAt = T0): AccessTokenRecord => ({
  token,
  kind: 'tenant',
  appId,
  issuedAt,
  expiresAt: issuedAt + 7_200_000,
});
const refreshToken = (token: string, fields: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
  token,
  appId: 'cli_a',
  openId: 'ou_a',
  scopes: ['task:task:read'],
  expiresAt: T0 + 604_800_000,
  used: false,
  ...fields,
});
const authorizationCode = (
  code: string,
  fields: Partial<AuthorizationCodeRecord> = {},
): AuthorizationCodeRecord => ({
  code,
  appId: 'cli_a',
  openId: 'ou_a',
  scopes: ['task:task:read'],
  expiresAt: T0 + 300_000,
  used: false,
  ...fields,
});

/**
 * What IdentityRepository promises (core/identity/identity.repository.ts), as the identity use
 * cases and the control plane rely on it: apps and users created once (a second creation refused
 * atomically unless it replaces), found by every id type and listed in creation order; access
 * tokens found by value and the newest tenant/app token of an app; refresh tokens and
 * authorization codes that exactly one caller can consume; credentials cleared apart from the
 * apps and users.
 */
export function describeIdentityRepositoryContract(name: string, open: OpenPort<IdentityRepository>): void {
  describe(`IdentityRepository contract: ${name}`, () => {
    const store = freshEach(open);
    const repo = () => store.repo;

    describe('apps', () => {
      it('saves a new app and finds it as saved; knows no other', async () => {
        expect(await repo().saveApp(app('cli_a'), { replace: false })).toBe(true);
        expect(await repo().saveApp(app('cli_b', { scopes: [] }), { replace: false })).toBe(true);

        expect(await repo().findApp('cli_a')).toEqual(app('cli_a'));
        expect(await repo().findApp('cli_b')).toEqual(app('cli_b', { scopes: [] }));
        expect(await repo().findApp('cli_c')).toBeUndefined();
      });

      it('keeps an existing app unless told to replace it', async () => {
        await repo().saveApp(app('cli_a'), { replace: false });

        expect(await repo().saveApp(app('cli_a', { appSecret: 'second' }), { replace: false })).toBe(false);
        expect(await repo().findApp('cli_a')).toEqual(app('cli_a'));
        expect(
          await repo().saveApp(app('cli_a', { appSecret: 'third', scopes: [] }), { replace: true }),
        ).toBe(true);
        expect(await repo().findApp('cli_a')).toEqual(app('cli_a', { appSecret: 'third', scopes: [] }));
      });

      it('of concurrent creations of one app_id, lets exactly one win, and keeps the winner’s', async () => {
        const saved = await together(6, (index) =>
          repo().saveApp(app('cli_a', { appSecret: `secret-${index}` }), { replace: false }),
        );

        expect(saved.filter(Boolean)).toHaveLength(1);
        expect(await repo().findApp('cli_a')).toMatchObject({ appSecret: `secret-${saved.indexOf(true)}` });
      });

      it('lists apps in creation order; a replaced one keeps its place', async () => {
        for (const appId of ['cli_c', 'cli_a', 'cli_b']) await repo().saveApp(app(appId), { replace: false });
        await repo().saveApp(app('cli_c', { appSecret: 'replaced' }), { replace: true });

        expect(await repo().listApps()).toEqual([
          app('cli_c', { appSecret: 'replaced' }),
          app('cli_a'),
          app('cli_b'),
        ]);
      });

      it('keeps its own copy: changing a saved app afterwards changes nothing', async () => {
        const saved = app('cli_a');
        await repo().saveApp(saved, { replace: false });

        saved.appSecret = 'changed';

        expect(await repo().findApp('cli_a')).toEqual(app('cli_a'));
      });
    });

    describe('users', () => {
      it('finds a user by open_id, union_id and user_id; knows no other', async () => {
        await repo().saveUser(user('ou_a'), { replace: false });
        await repo().saveUser(user('ou_b'), { replace: false });

        expect(await repo().findUserBy('open_id', 'ou_b')).toEqual(user('ou_b'));
        expect(await repo().findUserBy('union_id', 'on_ou_b')).toEqual(user('ou_b'));
        expect(await repo().findUserBy('user_id', 'uid_ou_b')).toEqual(user('ou_b'));
        expect(await repo().findUserBy('open_id', 'on_ou_b')).toBeUndefined();
        expect(await repo().findUserBy('union_id', 'ou_b')).toBeUndefined();
        expect(await repo().findUserBy('user_id', 'ou_c')).toBeUndefined();
      });

      it('keeps an existing open_id unless told to replace it; a replaced user is found by its new ids', async () => {
        await repo().saveUser(user('ou_a'), { replace: false });

        expect(await repo().saveUser(user('ou_a', { name: 'Second' }), { replace: false })).toBe(false);
        expect(await repo().findUserBy('open_id', 'ou_a')).toEqual(user('ou_a'));
        const replaced = user('ou_a', { name: 'Third', unionId: 'on_new', userId: 'uid_new' });
        expect(await repo().saveUser(replaced, { replace: true })).toBe(true);
        expect(await repo().findUserBy('open_id', 'ou_a')).toEqual(replaced);
        expect(await repo().findUserBy('union_id', 'on_new')).toEqual(replaced);
        expect(await repo().findUserBy('user_id', 'uid_new')).toEqual(replaced);
        expect(await repo().findUserBy('union_id', 'on_ou_a')).toBeUndefined();
      });

      it('of concurrent creations of one open_id, lets exactly one win, and keeps the winner’s', async () => {
        const saved = await together(6, (index) =>
          repo().saveUser(user('ou_a', { name: `name-${index}` }), { replace: false }),
        );

        expect(saved.filter(Boolean)).toHaveLength(1);
        expect(await repo().findUserBy('open_id', 'ou_a')).toMatchObject({
          name: `name-${saved.indexOf(true)}`,
        });
      });

      it('finds many users at once by open_id, leaving out the unknown ones', async () => {
        for (const openId of ['ou_a', 'ou_b', 'ou_c'])
          await repo().saveUser(user(openId), { replace: false });

        const found = await repo().findUsers(['ou_c', 'ou_x', 'ou_a', 'ou_a']);

        expect(found).toEqual(
          new Map([
            ['ou_c', user('ou_c')],
            ['ou_a', user('ou_a')],
          ]),
        );
        expect(await repo().findUsers([])).toEqual(new Map());
      });

      it('lists users in creation order; a replaced one keeps its place', async () => {
        for (const openId of ['ou_c', 'ou_a', 'ou_b'])
          await repo().saveUser(user(openId), { replace: false });
        await repo().saveUser(user('ou_c', { name: 'Replaced' }), { replace: true });

        expect(await repo().listUsers()).toEqual([
          user('ou_c', { name: 'Replaced' }),
          user('ou_a'),
          user('ou_b'),
        ]);
      });
    });

    describe('access tokens', () => {
      it('finds tenant, app and user tokens by value, with every field as saved', async () => {
        const records: AccessTokenRecord[] = [
          tenantToken('t-1', 'cli_a'),
          { ...tenantToken('a-1', 'cli_a'), kind: 'app' },
          {
            token: 'u-1',
            kind: 'user',
            appId: 'cli_a',
            openId: 'ou_a',
            scopes: ['task:task:read'],
            issuedAt: T0,
            expiresAt: T0 + 7_200_000,
          },
        ];
        for (const record of records) await repo().saveAccessToken(record);

        for (const record of records) expect(await repo().findAccessToken(record.token)).toEqual(record);
        expect(await repo().findAccessToken('t-2')).toBeUndefined();
      });

      it('names the newest tenant or app token an app was issued, apart per app and per kind', async () => {
        expect(await repo().latestAccessToken('cli_a', 'tenant')).toBeUndefined();
        // Issued in the same millisecond (a frozen clock): the newest is the one saved last.
        await repo().saveAccessToken(tenantToken('t-1', 'cli_a'));
        await repo().saveAccessToken(tenantToken('t-2', 'cli_a'));
        await repo().saveAccessToken(tenantToken('t-3', 'cli_b'));
        await repo().saveAccessToken({ ...tenantToken('a-1', 'cli_a'), kind: 'app' });
        await repo().saveAccessToken({ ...tenantToken('u-1', 'cli_a'), kind: 'user', openId: 'ou_a' });

        expect(await repo().latestAccessToken('cli_a', 'tenant')).toEqual(tenantToken('t-2', 'cli_a'));
        expect(await repo().latestAccessToken('cli_b', 'tenant')).toEqual(tenantToken('t-3', 'cli_b'));
        expect(await repo().latestAccessToken('cli_a', 'app')).toMatchObject({ token: 'a-1' });
        expect(await repo().latestAccessToken('cli_b', 'app')).toBeUndefined();
        // An older token stays valid by value.
        expect(await repo().findAccessToken('t-1')).toEqual(tenantToken('t-1', 'cli_a'));
      });
    });

    describe('refresh tokens and authorization codes', () => {
      it('finds a refresh token as saved, and lets it be consumed once', async () => {
        await repo().saveRefreshToken(refreshToken('r-1'));

        expect(await repo().findRefreshToken('r-1')).toEqual(refreshToken('r-1'));
        expect(await repo().consumeRefreshToken('r-1')).toBe(true);
        expect(await repo().findRefreshToken('r-1')).toEqual(refreshToken('r-1', { used: true }));
        expect(await repo().consumeRefreshToken('r-1')).toBe(false);
        expect(await repo().consumeRefreshToken('r-2')).toBe(false);
        expect(await repo().findRefreshToken('r-2')).toBeUndefined();
      });

      it('of concurrent consumers of one refresh token, lets exactly one through', async () => {
        await repo().saveRefreshToken(refreshToken('r-1'));

        const consumed = await together(6, () => repo().consumeRefreshToken('r-1'));

        expect(consumed.filter(Boolean)).toHaveLength(1);
      });

      it('never lets a refresh token saved as used be consumed', async () => {
        await repo().saveRefreshToken(refreshToken('r-1', { used: true }));

        expect(await repo().consumeRefreshToken('r-1')).toBe(false);
      });

      it('finds an authorization code as saved, and lets it be consumed once', async () => {
        await repo().saveAuthorizationCode(authorizationCode('c-1'));

        expect(await repo().findAuthorizationCode('c-1')).toEqual(authorizationCode('c-1'));
        expect(await repo().consumeAuthorizationCode('c-1')).toBe(true);
        expect(await repo().findAuthorizationCode('c-1')).toEqual(authorizationCode('c-1', { used: true }));
        expect(await repo().consumeAuthorizationCode('c-1')).toBe(false);
        expect(await repo().consumeAuthorizationCode('c-2')).toBe(false);
        expect(await repo().findAuthorizationCode('c-2')).toBeUndefined();
      });

      it('of concurrent consumers of one authorization code, lets exactly one through', async () => {
        await repo().saveAuthorizationCode(authorizationCode('c-1'));

        const consumed = await together(6, () => repo().consumeAuthorizationCode('c-1'));

        expect(consumed.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('clearCredentials, clear', () => {
      const fill = async () => {
        await repo().saveApp(app('cli_a'), { replace: false });
        await repo().saveUser(user('ou_a'), { replace: false });
        await repo().saveAccessToken(tenantToken('t-1', 'cli_a'));
        await repo().saveRefreshToken(refreshToken('r-1'));
        await repo().saveAuthorizationCode(authorizationCode('c-1'));
      };

      it('clears every credential and keeps the apps and users', async () => {
        await fill();

        await repo().clearCredentials();

        expect(await repo().findAccessToken('t-1')).toBeUndefined();
        expect(await repo().latestAccessToken('cli_a', 'tenant')).toBeUndefined();
        expect(await repo().findRefreshToken('r-1')).toBeUndefined();
        expect(await repo().findAuthorizationCode('c-1')).toBeUndefined();
        expect(await repo().listApps()).toEqual([app('cli_a')]);
        expect(await repo().listUsers()).toEqual([user('ou_a')]);
      });

      it('clears everything: apps, users and credentials', async () => {
        await fill();

        await repo().clear();

        expect(await repo().listApps()).toEqual([]);
        expect(await repo().listUsers()).toEqual([]);
        expect(await repo().findApp('cli_a')).toBeUndefined();
        expect(await repo().findUserBy('union_id', 'on_ou_a')).toBeUndefined();
        expect(await repo().findAccessToken('t-1')).toBeUndefined();
        expect(await repo().findRefreshToken('r-1')).toBeUndefined();
        expect(await repo().findAuthorizationCode('c-1')).toBeUndefined();
        // And an app_id is free again.
        expect(await repo().saveApp(app('cli_a'), { replace: false })).toBe(true);
      });
    });
  });
}
