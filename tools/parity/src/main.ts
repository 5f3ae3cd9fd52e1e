#!/usr/bin/env node
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './http-side.js';
import { loadParityConfig, ParityConfigError, PARITY_USAGE, type ParityOptions } from './parity.config.js';
import { runParity } from './run-parity.js';

/** Node's own fetch cannot use a proxy; undici's, with a proxy dispatcher, can. */
export function realSideFetch(proxy: ParityOptions['proxy']): FetchLike {
  if (!proxy.httpsProxy && !proxy.httpProxy) return (url, init) => fetch(url, init);
  // Every value explicit (blank when unset): the config is the one place the environment is read.
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? '',
    noProxy: proxy.noProxy ?? '',
  });
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command;
  try {
    command = loadParityConfig(argv, env);
  } catch (error) {
    if (error instanceof ParityConfigError) {
      console.error(`parity: ${error.message}\n\n${PARITY_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (command.kind === 'help') {
    console.log(PARITY_USAGE);
    return 0;
  }
  const outcome = await runParity(command.options, {
    fetch: realSideFetch(command.options.proxy),
    wait: (ms) => sleep(ms),
    now: () => new Date(),
    log: (line) => console.log(line),
  });
  const { same, different, skipped } = outcome.record.summary;
  console.log(`parity: ${same} same, ${different} different, ${skipped} skipped`);
  for (const row of outcome.rows.filter((r) => r.verdict === 'different')) {
    console.log(`  ${row.id}: ${row.differences[0]}${row.hint ? ` (emulator option: ${row.hint})` : ''}`);
  }
  console.log(`parity: report ${outcome.files.report}, observations ${outcome.files.json}`);
  if (outcome.files.recording) console.log(`parity: recorded ${outcome.files.recording}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`parity: ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
