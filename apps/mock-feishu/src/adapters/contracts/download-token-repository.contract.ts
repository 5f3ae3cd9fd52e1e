import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS } from '@feishu-attachments/api-client/wire';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  grantCode,
  issueDownloadGrant,
  MAX_GRANT_SIZE,
} from '../../core/downloads/download-token.js';
import type {
  DownloadTokenPageQuery,
  DownloadTokenRepository,
} from '../../core/downloads/download-token.repository.js';
import { freshEach, T0, together, type OpenPort } from './port-harness.js';

/**
 * What DownloadTokenRepository promises (core/downloads/download-token.repository.ts), as the
 * download use cases rely on it: URLs minted in grants, found by code, used up to three times
 * (atomically: concurrent downloads never take more uses than there were), expired at exactly
 * `expiresAt`, listed in issue order both ways with keyset cursors, cleared by a reset, and
 * bounded: the newest DOWNLOAD_TOKEN_CAPACITY URLs are always known, older ones go in time.
 */
export function describeDownloadTokenRepositoryContract(
  name: string,
  open: OpenPort<DownloadTokenRepository>,
): void {
  describe(`DownloadTokenRepository contract: ${name}`, () => {
    const store = freshEach(open);
    const repo = () => store.repo;
    const codeOf = (grantId: string, index = 0) => grantCode(grantId, index);

    /** Saves one grant per id, each with `urls` URLs, in order. */
    const grants = async (ids: string[], urls = 1, issuedAt = T0) => {
      for (const id of ids) {
        await repo().saveGrant(
          issueDownloadGrant(
            id,
            Array.from({ length: urls }, (_, index) => `${id}-guid-${index}`),
            issuedAt,
          ),
        );
      }
    };
    const codes = async (query: Partial<DownloadTokenPageQuery> = {}) => {
      const page = await repo().page({ afterSeq: 0, limit: 1000, newestFirst: false, ...query });
      return page.items.map(({ token }) => token.code);
    };

    describe('grants and finding', () => {
      it('finds every URL of a grant by its code, with the grant’s times and all uses left', async () => {
        await repo().saveGrant(issueDownloadGrant('ga', ['guid-0', 'guid-1', 'guid-2'], T0));

        for (const index of [0, 1, 2]) {
          expect(await repo().find(grantCode('ga', index))).toEqual({
            code: grantCode('ga', index),
            attachmentGuid: `guid-${index}`,
            issuedAt: T0,
            expiresAt: T0 + DOWNLOAD_URL_TTL_MS,
            usesLeft: DOWNLOAD_URL_MAX_USES,
          });
        }
        expect(DOWNLOAD_URL_MAX_USES).toBe(3);
      });

      it('finds a grant of MAX_GRANT_SIZE URLs to its last one', async () => {
        const guids = Array.from({ length: MAX_GRANT_SIZE }, (_, index) => `guid-${index}`);
        await repo().saveGrant(issueDownloadGrant('gfull', guids, T0));

        expect(await repo().find(grantCode('gfull', MAX_GRANT_SIZE - 1))).toMatchObject({
          attachmentGuid: `guid-${MAX_GRANT_SIZE - 1}`,
        });
        expect(await codes()).toEqual(guids.map((_, index) => grantCode('gfull', index)));
      });

      it('stores a grant of no URLs as nothing to find or list: the grants around it list side by side', async () => {
        await grants(['ga']);
        await repo().saveGrant(issueDownloadGrant('gnone', [], T0));
        await grants(['gb']);

        expect(await repo().find(codeOf('gnone'))).toBeUndefined();
        expect(await repo().takeDownloadUse(codeOf('gnone'), T0)).toEqual({ ok: false, reason: 'unknown' });
        expect(await codes()).toEqual([codeOf('ga'), codeOf('gb')]);
        expect(await codes({ newestFirst: true })).toEqual([codeOf('gb'), codeOf('ga')]);
      });

      it('knows no code of another grant, past a grant’s end, or of no shape', async () => {
        await grants(['ga'], 2);

        for (const code of [grantCode('gb', 0), grantCode('ga', 2), 'ga', '', 'gaZZ', 'ga-1']) {
          expect(await repo().find(code)).toBeUndefined();
          expect(await repo().takeDownloadUse(code, T0)).toEqual({ ok: false, reason: 'unknown' });
        }
      });
    });

    describe('takeDownloadUse', () => {
      it('counts a URL’s uses down from 3 to 0, then refuses it as used_up and changes nothing', async () => {
        await grants(['ga']);
        const code = grantCode('ga', 0);

        for (const usesLeft of [2, 1, 0]) {
          const taken = await repo().takeDownloadUse(code, T0 + 1);
          expect(taken).toEqual({ ok: true, token: expect.objectContaining({ code, usesLeft }) });
          expect(await repo().find(code)).toMatchObject({ usesLeft });
        }
        expect(await repo().takeDownloadUse(code, T0 + 2)).toEqual({ ok: false, reason: 'used_up' });
        expect(await repo().find(code)).toMatchObject({ usesLeft: 0 });
      });

      it('counts the uses of each URL of a grant on its own', async () => {
        await grants(['ga'], 2);

        await repo().takeDownloadUse(grantCode('ga', 1), T0);
        await repo().takeDownloadUse(grantCode('ga', 1), T0);

        expect(await repo().find(grantCode('ga', 0))).toMatchObject({ usesLeft: 3 });
        expect(await repo().find(grantCode('ga', 1))).toMatchObject({ usesLeft: 1 });
      });

      it('counts each URL of a grant to its own three whatever order they are redeemed in', async () => {
        await repo().saveGrant(issueDownloadGrant('ga', ['guid-0', 'guid-1', 'guid-2', 'guid-3'], T0));
        const take = async (index: number) => {
          const result = await repo().takeDownloadUse(codeOf('ga', index), T0 + 1);
          return result.ok
            ? [index, result.token.attachmentGuid, result.token.usesLeft]
            : [index, result.reason];
        };

        const taken = [];
        for (const index of [3, 0, 3, 2, 0, 3, 0, 3, 0]) taken.push(await take(index));

        expect(taken).toEqual([
          [3, 'guid-3', 2],
          [0, 'guid-0', 2],
          [3, 'guid-3', 1],
          [2, 'guid-2', 2],
          [0, 'guid-0', 1],
          [3, 'guid-3', 0],
          [0, 'guid-0', 0],
          [3, 'used_up'],
          [0, 'used_up'],
        ]);
        for (const [index, usesLeft] of [
          [0, 0],
          [1, 3],
          [2, 2],
          [3, 0],
        ]) {
          expect(await repo().find(codeOf('ga', index))).toMatchObject({
            attachmentGuid: `guid-${index}`,
            usesLeft,
          });
        }
        // Listed one at a time both ways, each cursor inside the grant, every URL with its own uses.
        for (const newestFirst of [false, true]) {
          const listed: [string, number][] = [];
          let afterSeq = 0;
          for (;;) {
            const page = await repo().page({ afterSeq, limit: 1, newestFirst });
            listed.push(...page.items.map(({ token }): [string, number] => [token.code, token.usesLeft]));
            if (!page.hasMore) break;
            afterSeq = page.items[0].seq;
          }
          const oldestFirst: [string, number][] = [
            [codeOf('ga', 0), 0],
            [codeOf('ga', 1), 3],
            [codeOf('ga', 2), 2],
            [codeOf('ga', 3), 0],
          ];
          expect(listed).toEqual(newestFirst ? oldestFirst.reverse() : oldestFirst);
        }
      });

      it('refuses a URL never redeemed as expired at exactly 3 minutes after issue, and takes no use of it', async () => {
        await grants(['ga'], 2);
        const expiresAt = T0 + DOWNLOAD_URL_TTL_MS;
        expect(DOWNLOAD_URL_TTL_MS).toBe(3 * 60_000);

        const atExpiry = await together(4, () => repo().takeDownloadUse(codeOf('ga', 1), expiresAt));

        expect(atExpiry).toEqual(Array(4).fill({ ok: false, reason: 'expired' }));
        expect(await repo().find(codeOf('ga', 1))).toMatchObject({ usesLeft: 3 });
        // Its neighbour, never redeemed either, still has its first use a millisecond before.
        expect(await repo().takeDownloadUse(codeOf('ga', 0), expiresAt - 1)).toEqual({
          ok: true,
          token: expect.objectContaining({ code: codeOf('ga', 0), usesLeft: 2 }),
        });
        expect(await repo().takeDownloadUse(codeOf('ga', 0), expiresAt)).toEqual({
          ok: false,
          reason: 'expired',
        });
        expect(await repo().find(codeOf('ga', 0))).toMatchObject({ usesLeft: 2 });
      });

      it('honours a URL until just before expiresAt and refuses it as expired at exactly expiresAt', async () => {
        await grants(['ga']);
        const code = grantCode('ga', 0);
        const expiresAt = T0 + DOWNLOAD_URL_TTL_MS;

        expect(await repo().takeDownloadUse(code, expiresAt - 1)).toMatchObject({ ok: true });
        expect(await repo().takeDownloadUse(code, expiresAt)).toEqual({ ok: false, reason: 'expired' });
        expect(await repo().takeDownloadUse(code, expiresAt + 60_000)).toEqual({
          ok: false,
          reason: 'expired',
        });
        // A refused use takes nothing.
        expect(await repo().find(code)).toMatchObject({ usesLeft: 2 });
      });

      it('refuses a used-up URL past its expiry as expired', async () => {
        await grants(['ga']);
        const code = grantCode('ga', 0);
        for (let use = 0; use < 3; use++) await repo().takeDownloadUse(code, T0);

        expect(await repo().takeDownloadUse(code, T0 + DOWNLOAD_URL_TTL_MS)).toEqual({
          ok: false,
          reason: 'expired',
        });
      });

      it('of concurrent downloads of a URL with one use left, lets exactly one through', async () => {
        await grants(['ga']);
        const code = grantCode('ga', 0);
        await repo().takeDownloadUse(code, T0);
        await repo().takeDownloadUse(code, T0);

        const results = await together(8, () => repo().takeDownloadUse(code, T0 + 1));

        expect(results.filter((result) => result.ok)).toEqual([
          { ok: true, token: expect.objectContaining({ code, usesLeft: 0 }) },
        ]);
        expect(results.filter((result) => !result.ok)).toHaveLength(7);
        expect(results.filter((result) => !result.ok)).toEqual(
          Array(7).fill({ ok: false, reason: 'used_up' }),
        );
        expect(await repo().find(code)).toMatchObject({ usesLeft: 0 });
      });

      it('of concurrent downloads of a fresh URL, lets exactly three through, each with its own count', async () => {
        await grants(['ga']);
        const code = grantCode('ga', 0);

        const results = await together(8, () => repo().takeDownloadUse(code, T0 + 1));

        const usesLeft = results.flatMap((result) => (result.ok ? [result.token.usesLeft] : []));
        expect(usesLeft.sort()).toEqual([0, 1, 2]);
        expect(await repo().find(code)).toMatchObject({ usesLeft: 0 });
      });
      it('of concurrent downloads of every URL of a grant, lets exactly three through per URL', async () => {
        await grants(['ga'], 3);

        const results = await together(24, (call) =>
          repo()
            .takeDownloadUse(codeOf('ga', call % 3), T0 + 1)
            .then((result) => ({ index: call % 3, result })),
        );

        for (const index of [0, 1, 2]) {
          const mine = results.filter((taken) => taken.index === index).map((taken) => taken.result);
          const usesLeft = mine.flatMap((result) => (result.ok ? [result.token.usesLeft] : []));
          expect({ index, usesLeft: usesLeft.sort() }).toEqual({ index, usesLeft: [0, 1, 2] });
          expect(mine.filter((result) => !result.ok)).toEqual(
            Array(5).fill({ ok: false, reason: 'used_up' }),
          );
          expect(await repo().find(codeOf('ga', index))).toMatchObject({ usesLeft: 0 });
        }
      });
    });

    describe('page', () => {
      it('lists nothing, and no more, when empty', async () => {
        for (const newestFirst of [false, true]) {
          expect(await repo().page({ afterSeq: 0, limit: 10, newestFirst })).toEqual({
            items: [],
            hasMore: false,
          });
        }
      });

      it('pages oldest first, grant by grant and in each grant by index, with cursors and hasMore', async () => {
        await grants(['ga'], 2);
        await grants(['gb'], 1);
        await grants(['gc'], 2);

        const first = await repo().page({ afterSeq: 0, limit: 2, newestFirst: false });
        expect(first.items.map(({ token }) => token.code)).toEqual([codeOf('ga'), codeOf('ga', 1)]);
        expect(first.hasMore).toBe(true);
        const second = await repo().page({ afterSeq: first.items[1].seq, limit: 2, newestFirst: false });
        expect(second.items.map(({ token }) => token.code)).toEqual([codeOf('gb'), codeOf('gc')]);
        expect(second.hasMore).toBe(true);
        const last = await repo().page({ afterSeq: second.items[1].seq, limit: 2, newestFirst: false });
        expect(last.items.map(({ token }) => token.code)).toEqual([codeOf('gc', 1)]);
        expect(last.hasMore).toBe(false);
        expect(await repo().page({ afterSeq: last.items[0].seq, limit: 2, newestFirst: false })).toEqual({
          items: [],
          hasMore: false,
        });
        // Every URL once, each with its own place in issue order.
        const seqs = [...first.items, ...second.items, ...last.items].map(({ seq }) => seq);
        expect(new Set(seqs).size).toBe(5);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      });

      it('pages newest first from the newest, then past the last one returned', async () => {
        await grants(['ga'], 2);
        await grants(['gb'], 1);
        await grants(['gc'], 2);

        const first = await repo().page({ afterSeq: 0, limit: 2, newestFirst: true });
        expect(first.items.map(({ token }) => token.code)).toEqual([codeOf('gc', 1), codeOf('gc')]);
        expect(first.hasMore).toBe(true);
        const second = await repo().page({ afterSeq: first.items[1].seq, limit: 2, newestFirst: true });
        expect(second.items.map(({ token }) => token.code)).toEqual([codeOf('gb'), codeOf('ga', 1)]);
        expect(second.hasMore).toBe(true);
        const last = await repo().page({ afterSeq: second.items[1].seq, limit: 2, newestFirst: true });
        expect(last.items.map(({ token }) => token.code)).toEqual([codeOf('ga')]);
        expect(last.hasMore).toBe(false);
      });

      it('says no more when a page ends exactly at the last URL, either way', async () => {
        await grants(['ga', 'gb', 'gc', 'gd']);

        for (const newestFirst of [false, true]) {
          const first = await repo().page({ afterSeq: 0, limit: 2, newestFirst });
          const second = await repo().page({ afterSeq: first.items[1].seq, limit: 2, newestFirst });
          expect(second.items).toHaveLength(2);
          expect(second.hasMore).toBe(false);
        }
        expect((await repo().page({ afterSeq: 0, limit: 4, newestFirst: false })).hasMore).toBe(false);
        expect((await repo().page({ afterSeq: 0, limit: 3, newestFirst: true })).hasMore).toBe(true);
      });

      it('reads a cursor in either direction: newest first past a URL lists the ones issued before it', async () => {
        await grants(['ga', 'gb', 'gc', 'gd']);
        const all = (await repo().page({ afterSeq: 0, limit: 10, newestFirst: false })).items;
        const cursor = all[2].seq; // gc's

        expect(await codes({ afterSeq: cursor, newestFirst: true })).toEqual([codeOf('gb'), codeOf('ga')]);
        expect(await codes({ afterSeq: cursor, newestFirst: false })).toEqual([codeOf('gd')]);
      });

      it('shows each URL’s uses left and keeps it in its place after a use', async () => {
        await grants(['ga', 'gb']);
        await repo().takeDownloadUse(codeOf('ga'), T0);

        const { items } = await repo().page({ afterSeq: 0, limit: 10, newestFirst: false });
        expect(items.map(({ token }) => [token.code, token.usesLeft])).toEqual([
          [codeOf('ga'), 2],
          [codeOf('gb'), 3],
        ]);
      });
    });

    describe('clear', () => {
      it('forgets every URL; what is saved next is all there is', async () => {
        await grants(['ga', 'gb'], 2);
        await repo().takeDownloadUse(codeOf('ga'), T0);

        await repo().clear();

        expect(await repo().find(codeOf('ga'))).toBeUndefined();
        expect(await repo().takeDownloadUse(codeOf('gb', 1), T0)).toEqual({ ok: false, reason: 'unknown' });
        expect(await codes()).toEqual([]);
        expect(await codes({ newestFirst: true })).toEqual([]);
        await grants(['gc']);
        expect(await codes()).toEqual([codeOf('gc')]);
        expect(await repo().find(codeOf('gc'))).toMatchObject({ usesLeft: 3 });
      });
    });

    describe('capacity', () => {
      // Full grants of MAX_GRANT_SIZE URLs: CAPACITY URLs are 1 000 saves, not 100 000.
      const GRANTS_PER_CAPACITY = DOWNLOAD_TOKEN_CAPACITY / MAX_GRANT_SIZE;
      const GUIDS = Array.from({ length: MAX_GRANT_SIZE }, () => 'guid');
      const idOf = (grant: number) => `g${grant}x`;
      const saveFullGrants = async (from: number, to: number) => {
        for (let grant = from; grant < to; grant++) {
          await repo().saveGrant(issueDownloadGrant(idOf(grant), GUIDS, T0));
        }
      };
      /** The codes of the newest CAPACITY URLs once `saved` grants are stored, newest first. */
      const newestCodes = (saved: number) => {
        const codes: string[] = [];
        for (let grant = saved - 1; grant >= saved - GRANTS_PER_CAPACITY; grant--) {
          for (let index = MAX_GRANT_SIZE - 1; index >= 0; index--) codes.push(grantCode(idOf(grant), index));
        }
        return codes;
      };
      /** Which of the newest CAPACITY URLs are not listed in their place, newest first. */
      const unlisted = async (saved: number) => {
        const listed = (
          await repo().page({ afterSeq: 0, limit: DOWNLOAD_TOKEN_CAPACITY, newestFirst: true })
        ).items.map(({ token }) => token.code);
        return newestCodes(saved).filter((code, place) => listed[place] !== code);
      };
      /** How many codes, and the first few: a failure prints these, not 100 000 codes. */
      const few = (codes: readonly string[]) => ({ count: codes.length, first: codes.slice(0, 3) });
      /** Which of the newest CAPACITY URLs `find` does not know. */
      const unknown = async (codes: readonly string[]) => {
        const missing: string[] = [];
        for (const code of codes) if (!(await repo().find(code))) missing.push(code);
        return missing;
      };

      it('always finds every one of the newest CAPACITY URLs, and after 3 × CAPACITY the first is gone', async () => {
        // CAPACITY is a whole number of full grants, so the newest CAPACITY are the newest grants.
        expect(Number.isInteger(GRANTS_PER_CAPACITY)).toBe(true);
        // Checked where a store might forget too much: at capacity, one grant past it, and at
        // twice and three times it. Each time all of the newest CAPACITY are listed in order, and
        // found (the oldest and newest of them at every point; every one of them at the end).
        const checkpoints = [
          GRANTS_PER_CAPACITY,
          GRANTS_PER_CAPACITY + 1,
          2 * GRANTS_PER_CAPACITY + 1,
          3 * GRANTS_PER_CAPACITY,
        ];
        let saved = 0;
        for (const checkpoint of checkpoints) {
          await saveFullGrants(saved, checkpoint);
          saved = checkpoint;
          const newest = newestCodes(saved);
          expect({ saved, unlisted: few(await unlisted(saved)) }).toEqual({ saved, unlisted: few([]) });
          expect({ saved, unknown: await unknown([newest[0], newest[newest.length - 1]]) }).toEqual({
            saved,
            unknown: [],
          });
        }
        expect(few(await unknown(newestCodes(saved)))).toEqual(few([]));

        expect(await repo().find(grantCode(idOf(0), 0))).toBeUndefined();
        expect(await repo().takeDownloadUse(grantCode(idOf(0), 0), T0)).toEqual({
          ok: false,
          reason: 'unknown',
        });
        // What is listed is what is known: never the forgotten first URL.
        const oldest = await repo().page({ afterSeq: 0, limit: 1, newestFirst: false });
        expect(oldest.items[0].token.code).not.toBe(grantCode(idOf(0), 0));
      });
    });
  });
}
