#!/usr/bin/env node
// The framework's ceiling: a NestJS app on Express (the emulator's own Nest and Express, resolved
// from apps/mock-feishu) with one controller route per fixed answer and nothing else. It answers
// with the same status, headers and body as the emulator, so the gap between the two is the
// emulator's own work (gateway, journal, stores, URL minting), not the framework's.
//   node tools/bench/lib/nest-ceiling-server.mjs <config.json>
//   config: { host, port, routes: [{ method, path, body, headers }] }
// Plain JavaScript has no decorator syntax, so the decorators are applied by hand.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const fromEmulator = createRequire(join(ROOT, 'apps/mock-feishu/package.json'));
// Nest 12 is ESM-only: resolve each package's entry the way the emulator would, then import it.
const load = (name) => import(pathToFileURL(fromEmulator.resolve(name)).href);
await load('reflect-metadata');
const { Controller, Get, Module, Res } = await load('@nestjs/common');
const { NestFactory } = await load('@nestjs/core');

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

class CeilingController {}
config.routes.forEach((route, index) => {
  if (route.method !== 'GET') throw new Error(`only GET routes, not ${route.method}`);
  const name = `route${index}`;
  // The parsed answer goes back through Nest's own reply (res.json), as a handler returning its
  // data would; the headers the emulator sets itself (its log id) are set on the response.
  const answer = JSON.parse(route.body);
  const headers = Object.entries(route.headers ?? {});
  CeilingController.prototype[name] = function (res) {
    for (const [header, value] of headers) res.setHeader(header, value);
    return answer;
  };
  Res({ passthrough: true })(CeilingController.prototype, name, 0);
  const descriptor = Object.getOwnPropertyDescriptor(CeilingController.prototype, name);
  Get(route.path)(CeilingController.prototype, name, descriptor);
});
CeilingController.prototype.health = () => 'ok';
Get('/__ceiling/health')(
  CeilingController.prototype,
  'health',
  Object.getOwnPropertyDescriptor(CeilingController.prototype, 'health'),
);
Controller()(CeilingController);

class CeilingModule {}
Module({ controllers: [CeilingController] })(CeilingModule);

// The emulator's settings: no body parser on these routes, errors and warnings logged only,
// no x-powered-by and no ETag.
const app = await NestFactory.create(CeilingModule, { bodyParser: false, logger: ['error', 'warn'] });
app.getHttpAdapter().getInstance().disable('x-powered-by');
app.getHttpAdapter().getInstance().set('etag', false);
await app.listen(config.port, config.host);
process.once('SIGTERM', () => {
  void app.close();
});
