// 1. Metadata: throughput and p99 of get-attachment and a 50-item list page, on the emulator
// (rate limits off), on Prism mocking our OpenAPI document, and on a bare node:http server.
// All three answer the same JSON: the emulator's own answers are copied into the bare server and
// into Prism's examples (a copy of the document), so only the work behind the bytes differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { attachmentPath, listPath, seedTask, tenantToken } from '../lib/emulator-api.mjs';
import { fixedRate, throughput } from '../lib/load.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import {
  OPENAPI_DOCUMENT,
  ROOT,
  httpRequest,
  startBare,
  startEmulator,
  startPrism,
} from '../lib/servers.mjs';
import { formatRatio } from '../lib/stats.mjs';

// The emulator depends on `yaml`, so it is installed wherever npm put it.
const YAML = createRequire(join(ROOT, 'apps/mock-feishu/package.json'))('yaml');

const FIXED_RATE = 1000;
const PAGE_SIZE = 50;

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
  title: 'Metadata calls: emulator vs Prism vs bare node:http',
  async run({ work, rounds, seconds, warmSeconds, log }) {
    const emulator = await startEmulator({ dataDir: join(work, 'blobs') });
    const token = await tenantToken(emulator.url);
    const seeded = await seedTask(emulator.url, {
      summary: 'metadata bench',
      attachments: Array.from({ length: PAGE_SIZE }, (_, index) => ({
        name: `report-${index}.pdf`,
        content: 'x',
        content_type: 'application/pdf',
      })),
    });
    const headers = { authorization: `Bearer ${token}` };
    const routes = {
      get: attachmentPath(seeded.attachments[0].guid),
      list: listPath(seeded.task_guid, PAGE_SIZE),
    };
    const answer = async (base, path) => {
      const response = await httpRequest(`${base}${path}`, { headers });
      if (response.status !== 200) throw new Error(`${base}${path} → ${response.status}: ${response.text}`);
      return response.text;
    };
    const getBody = await answer(emulator.url, routes.get);
    const listBody = await answer(emulator.url, routes.list);

    const prism = await startPrism({ document: prismDocument(work, getBody, listBody) });
    const bare = await startBare({
      work,
      routes: [
        { method: 'GET', path: routes.get, body: getBody },
        { method: 'GET', path: routes.list.split('?')[0], body: listBody },
      ],
    });
    const sides = [
      { name: 'emulator', url: emulator.url },
      { name: 'Prism', url: prism.url },
      { name: 'bare node:http', url: bare.url },
    ];
    // Every side must answer both routes with the same shape before any number counts.
    for (const side of sides) {
      const get = JSON.parse(await answer(side.url, routes.get));
      const list = JSON.parse(await answer(side.url, routes.list));
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
      const url = (side) => `${side.url}${routes[route]}`;
      const maximum = await alternate({
        sides,
        rounds,
        label: `${route} max `,
        log,
        warmUp: (side) => throughput({ url: url(side), headers, seconds: warmSeconds }),
        measure: (side) => throughput({ url: url(side), headers, seconds }),
      });
      const steady = await alternate({
        sides,
        rounds,
        label: `${route} @${FIXED_RATE}/s `,
        log,
        // A server that cannot keep up at this rate has no p99 here; its throughput row says why.
        measure: (side) =>
          fixedRate({ url: url(side), headers, rate: FIXED_RATE, seconds }).catch((error) => {
            log(`${side.name}: ${error.message}`);
            return { p50: NaN, p99: NaN };
          }),
      });
      const ratios = [
        ['emulator', 'Prism'],
        ['emulator', 'bare node:http'],
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
      );
      rows.push(
        throughputRow,
        row(`${label}: p99 at full load`, 'ms', pick(maximum, 'p99')),
        row(`${label}: p50 at ${FIXED_RATE.toLocaleString('en-US')} req/s`, 'ms', pick(steady, 'p50')),
        p99Row,
      );
      results[route] = { throughputRow, p99Row };
    }

    const { throughputRow, p99Row } = results.get;
    const [vsPrism, vsBare] = throughputRow.ratios.map((entry) => entry.value);
    const emulatorP99 = p99Row.sides.find((side) => side.name === 'emulator').median;
    return {
      rows,
      targets: [
        target("GET throughput ≥ 5 × Prism's", vsPrism, '>=', 5, formatRatio),
        target('GET throughput ≥ 0.5 × the bare node:http ceiling', vsBare, '>=', 0.5, formatRatio),
        target(`GET p99 ≤ 5 ms at ${FIXED_RATE.toLocaleString('en-US')} req/s`, emulatorP99, '<=', 5, (ms) =>
          Number.isFinite(ms) ? `${ms.toFixed(2)} ms` : 'n/a',
        ),
      ],
      notes: [
        `Throughput: autocannon, 10 keep-alive connections, ${seconds} s per side per round. ` +
          `p50/p99 at ${FIXED_RATE} req/s: an open-loop load (tools/bench/lib/load.mjs), ${seconds} s per side per round. ` +
          'Prism serves a copy of our OpenAPI document whose examples for these two routes are the ' +
          "emulator's own answers, so all three sides send the same bytes.",
      ],
    };
  },
};
