#!/usr/bin/env node
// `npm run mock:prism [-- -p <port>] [-- -h <host>]`: a stateless Prism mock of the OpenAPI
// document's examples. A script rather than a fixed command line, because npm appends extra
// arguments, and Prism refuses a second `-p` ("Received [ 4010, 4734 ]").
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DOCUMENT = join(ROOT, 'libs', 'api-client', 'openapi', 'feishu-task-attachments.openapi.yaml');

/** Prism's arguments for this script's command line; anything unknown is passed on to Prism. */
export function prismArgs(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p', default: '4010' },
      host: { type: 'string', short: 'h', default: '127.0.0.1' },
    },
  });
  const { port, host, ...rest } = values;
  const passed = Object.entries(rest).flatMap(([name, value]) =>
    value === true ? [`--${name}`] : [`--${name}`, String(value)],
  );
  return ['mock', '-h', host, '-p', port, ...passed, ...positionals, DOCUMENT];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const prism = join(ROOT, 'node_modules', '.bin', 'prism');
  const child = spawn(prism, prismArgs(process.argv.slice(2)), { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}
