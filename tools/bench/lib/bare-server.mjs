#!/usr/bin/env node
// The ceiling: plain `node:http` doing the least the emulator's job allows. It answers fixed JSON
// bodies on given routes, copies an upload's bytes to one file, and streams one file back.
//   node tools/bench/lib/bare-server.mjs <config.json>
//   config: { host, port, routes: [{ method, path, body, headers? }], uploadDir?, downloadFile? }
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// The same headers Express gives a JSON answer (and the emulator's own, e.g. its log id), so only
// the work behind them differs.
const routes = new Map(
  config.routes.map((route) => {
    const body = Buffer.from(route.body);
    const headers = {
      ...route.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    };
    return [`${route.method} ${route.path}`, { body, headers }];
  }),
);

const server = http.createServer((req, res) => {
  const path = req.url.split('?', 1)[0];
  const route = routes.get(`${req.method} ${path}`);
  if (route) {
    res.writeHead(200, route.headers);
    res.end(route.body);
  } else if (path === '/__bare/health') {
    res.end('ok');
  } else if (req.method === 'POST' && path === '/upload' && config.uploadDir) {
    let bytes = 0;
    req.on('data', (chunk) => (bytes += chunk.length));
    pipeline(req, createWriteStream(join(config.uploadDir, randomUUID()))).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes })),
      () => res.destroy(),
    );
  } else if (req.method === 'GET' && path === '/download' && config.downloadFile) {
    const { size } = statSync(config.downloadFile);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    // 1 MiB reads: with the default 64 KiB the read loop, not the machine, sets the pace.
    pipeline(createReadStream(config.downloadFile, { highWaterMark: 1024 * 1024 }), res).catch(() =>
      res.destroy(),
    );
  } else {
    res.writeHead(404).end();
  }
});
server.keepAliveTimeout = 5000;
server.listen(config.port, config.host);
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
