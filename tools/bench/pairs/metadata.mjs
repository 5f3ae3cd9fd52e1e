// 1. Metadata: throughput and p99 of get-attachment and a 50-item list page, on the emulator
// (rate limits off), on Prism mocking our OpenAPI document, on a one-route NestJS-on-Express app
// (the framework's ceiling) and on a bare node:http server. All four answer the same JSON: the
// emulator's own answers (status, headers, body) are copied into the Nest and bare servers and
// into Prism's examples (a copy of the document), so only the work behind the bytes differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { attachmentPath, listPath, seedTask, tenantToken } from '../lib/emulator-api.mjs';
import { fixedRate, throughput } from '../lib/load.mjs';
import { cpuMicrosOf } from '../lib/memory.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import {
  OPENAPI_DOCUMENT,
  ROOT,
  httpRequest,
  startBare,
  startEmulator,
  startNestCeiling,
  startPrism,
} from '../lib/servers.mjs';
import { formatRatio, ratio } from '../lib/stats.mjs';

// The emulator depends on `yaml`, so it is installed wherever npm put it.
const YAML = createRequire(join(ROOT, 'apps/mock-feishu/package.json'))('yaml');

const FIXED_RATE = 1000;
const PAGE_SIZE = 50;
const NEST = 'Nest on Express';
const BARE = 'bare node:http';
const BASELINE = 'baseline build';
const BASELINE_MAIN = process.env.BENCH_BASELINE_MAIN;
const SERVER_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/** A copy of the document whose examples for the two routes are the emulator's own answers. */
function prismDocument(work, getBody, listBody) {
  const document = YAML.parse(readFileSync(OPENAPI_DOCUMENT, 'utf8'));
  const json = (operation) => operation.responses['200'].content['application/json'];
  const get = json(document.paths['/open-apis/task/v2/attachments/{attachment_guid}'].get);
  delete get.examples;
  get.example = JSON.parse(getBody);
  const list = json(document.paths['/open-apis/task/v2/attachments'].get);
  delete list.example;
  list.examples = {
    page: { summary: 'A 50-item page answered by the emulator', value: JSON.parse(listBody) },
  };
  const path = join(work, 'openapi-for-prism.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

export default {
  name: 'metadata',
  title: 'Metadata calls: emulator vs Prism vs Nest on Express vs bare node:http',
  async run({ work, rounds, seconds, warmSeconds, log }) {
    // One emulator seeded with a 50-attachment task; its paths and token, for the load.
    const seededEmulator = async (name, main) => {
      const emulator = await startEmulator({ dataDir: join(work, `blobs-${name}`), main });
      const token = await tenantToken(emulator.url);
      const seeded = await seedTask(emulator.url, {
        summary: 'metadata bench',
        attachments: Array.from({ length: PAGE_SIZE }, (_, index) => ({
          name: `report-${index}.pdf`,
          content: 'x',
          content_type: 'application/pdf',
        })),
      });
      return {
        name,
        url: emulator.url,
        pid: emulator.pid,
        headers: { authorization: `Bearer ${token}` },
        routes: {
          get: attachmentPath(seeded.attachments[0].guid),
          list: listPath(seeded.task_guid, PAGE_SIZE),
        },
      };
    };
    const emulator = await seededEmulator('emulator');
    const { headers, routes } = emulator;
    const exchange = async (base, path, as = headers) => {
      const response = await httpRequest(`${base}${path}`, { headers: as });
      if (response.status !== 200) throw new Error(`${base}${path} → ${response.status}: ${response.text}`);
      return response;
    };
    const answer = async (base, path, as) => (await exchange(base, path, as)).text;
    const getAnswer = await exchange(emulator.url, routes.get);
    const listAnswer = await exchange(emulator.url, routes.list);
    const getBody = getAnswer.text;
    const listBody = listAnswer.text;
    // The headers the emulator adds itself (its log id), with this one answer's values; the
    // servers add content-type, content-length, date and keep-alive on their own.
    const ownHeaders = (response) =>
      Object.fromEntries(Object.entries(response.headers).filter(([name]) => !SERVER_HEADERS.has(name)));
    const fixedRoutes = [
      { method: 'GET', path: routes.get, body: getBody, headers: ownHeaders(getAnswer) },
      { method: 'GET', path: routes.list.split('?')[0], body: listBody, headers: ownHeaders(listAnswer) },
    ];

    const prism = await startPrism({ document: prismDocument(work, getBody, listBody) });
    const nest = await startNestCeiling({ work, routes: fixedRoutes });
    const bare = await startBare({ work, routes: fixedRoutes });
    const sides = [
      emulator,
      { name: 'Prism', url: prism.url, pid: prism.pid, headers, routes },
      { name: NEST, url: nest.url, pid: nest.pid, headers, routes },
      { name: BARE, url: bare.url, pid: bare.pid, headers, routes },
    ];
    // An A/B of two builds in one run: BENCH_BASELINE_MAIN names another build's main.js (e.g.
    // a copy of main's dist), measured as one more side.
    if (BASELINE_MAIN) sides.push(await seededEmulator(BASELINE, BASELINE_MAIN));
    // Every side must answer both routes with the same shape before any number counts.
    for (const side of sides) {
      const get = JSON.parse(await answer(side.url, side.routes.get, side.headers));
      const list = JSON.parse(await answer(side.url, side.routes.list, side.headers));
      if (get.data?.attachment?.guid === undefined || list.data?.items?.length !== PAGE_SIZE) {
        throw new Error(`${side.name} does not answer like the emulator`);
      }
    }
    log(`answers: get ${getBody.length} B, list page ${listBody.length} B, on every side`);

    const rows = [];
    const results = {};
    for (const [route, label] of [
      ['get', 'get attachment'],
      ['list', `list page (${PAGE_SIZE} items)`],
    ]) {
      const url = (side) => `${side.url}${side.routes[route]}`;
      const maximum = await alternate({
        sides,
        rounds,
        label: `${route} max `,
        log,
        warmUp: (side) => throughput({ url: url(side), headers: side.headers, seconds: warmSeconds }),
        // The server's own CPU time per answer too: on a shared machine it moves less than req/s.
        measure: async (side) => {
          const before = cpuMicrosOf(side.pid);
          const result = await throughput({ url: url(side), headers: side.headers, seconds });
          return { ...result, cpu: (cpuMicrosOf(side.pid) - before) / result.requests };
        },
      });
      const steady = await alternate({
        sides,
        rounds,
        label: `${route} @${FIXED_RATE}/s `,
        log,
        // A server that cannot keep up at this rate has no p99 here; its throughput row says why.
        measure: (side) =>
          fixedRate({ url: url(side), headers: side.headers, rate: FIXED_RATE, seconds }).catch((error) => {
            log(`${side.name}: ${error.message}`);
            return { p50: NaN, p99: NaN };
          }),
      });
      const ratios = [
        ['emulator', 'Prism'],
        ['emulator', NEST],
        ['emulator', BARE],
        ...(BASELINE_MAIN ? [['emulator', BASELINE]] : []),
      ];
      const throughputRow = row(
        `${label}: throughput, 10 connections`,
        'req/s',
        pick(maximum, 'rps'),
        ratios,
      );
      const p99Row = row(
        `${label}: p99 at ${FIXED_RATE.toLocaleString('en-US')} req/s`,
        'ms',
        pick(steady, 'p99'),
        [['emulator', 'Prism'], ...(BASELINE_MAIN ? [['emulator', BASELINE]] : [])],
      );
      rows.push(
        throughputRow,
        row(`${label}: server CPU per answer at full load`, 'µs', pick(maximum, 'cpu'), ratios),
        row(`${label}: p99 at full load`, 'ms', pick(maximum, 'p99')),
        row(`${label}: p50 at ${FIXED_RATE.toLocaleString('en-US')} req/s`, 'ms', pick(steady, 'p50')),
        p99Row,
      );
      results[route] = { throughputRow, p99Row };
    }

    const rate = FIXED_RATE.toLocaleString('en-US');
    const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a');
    const median = (someRow, side) => someRow.sides.find((entry) => entry.name === side).median;
    const targets = [];
    for (const [route, what] of [
      ['get', 'GET'],
      ['list', `List page (${PAGE_SIZE} items)`],
    ]) {
      const { throughputRow, p99Row } = results[route];
      const [vsPrism, vsNest] = throughputRow.ratios.map((entry) => entry.value);
      targets.push(
        target(`${what} throughput ≥ 2 × Prism's`, vsPrism, '>=', 2, formatRatio),
        target(
          `${what} throughput ≥ 0.8 × the one-route Nest-on-Express ceiling`,
          vsNest,
          '>=',
          0.8,
          formatRatio,
        ),
        // Against Prism's p99 in the same run: the ratio of medians, both figures shown.
        target(
          `${what} p99 at ${rate} req/s ≤ Prism's (emulator / Prism)`,
          ratio(median(p99Row, 'emulator'), median(p99Row, 'Prism')),
          '<=',
          1,
          formatRatio,
          `${ms(median(p99Row, 'emulator'))} vs ${ms(median(p99Row, 'Prism'))}`,
        ),
      );
    }
    targets.push(
      target(`GET p99 ≤ 5 ms at ${rate} req/s`, median(results.get.p99Row, 'emulator'), '<=', 5, ms),
    );
    return {
      rows,
      targets,
      notes: [
        `Throughput: autocannon, 10 keep-alive connections, ${seconds} s per side per round. ` +
          `p50/p99 at ${FIXED_RATE} req/s: an open-loop load (tools/bench/lib/load.mjs), ${seconds} s per side per round. ` +
          'Prism serves a copy of our OpenAPI document whose examples for these two routes are the ' +
          "emulator's own answers, and the Nest and bare servers send the emulator's status, headers " +
          '(its log id included) and body, so all four sides send the same bytes. "Nest on Express" is ' +
          "one controller route per answer on the emulator's Nest and Express versions, the emulator's " +
          "app settings (no body parser, no ETag, no x-powered-by): the framework's ceiling. Bare " +
          'node:http is shown for reference; no target uses it.',
      ],
    };
  },
};
