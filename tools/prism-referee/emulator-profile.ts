import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The OpenAPI extension that carries what the emulator promises beyond Feishu's own answers. */
export const STRICT_EXTENSION = 'x-mock-feishu-strict';

type Node = unknown;

/**
 * The emulator's profile of an OpenAPI document: every schema carrying `x-mock-feishu-strict`
 * gets that object's keys in place of its own (a shallow replacement, so the marked keys say the
 * whole rule). The document as written referees real Feishu answers; this profile referees the
 * emulator, which answers stricter than Feishu is known to.
 */
export function emulatorProfile<T>(document: T): T {
  const walk = (node: Node): Node => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node as Record<string, Node>);
    const strict = (node as Record<string, Node>)[STRICT_EXTENSION];
    const own = Object.fromEntries(
      entries.filter(([key]) => key !== STRICT_EXTENSION).map(([key, value]) => [key, walk(value)]),
    );
    return typeof strict === 'object' && strict !== null ? { ...own, ...(walk(strict) as object) } : own;
  };
  return walk(document) as T;
}

export const FEISHU_DOCUMENT_PATH = join(
  __dirname,
  '..',
  '..',
  'libs',
  'api-client',
  'openapi',
  'feishu-task-attachments.openapi.yaml',
);

let profileFile: string | undefined;

/** The emulator's profile of the Feishu document, written once per process for Prism to read. */
export function emulatorProfileFile(): string {
  if (profileFile) return profileFile;
  const document = emulatorProfile(parse(readFileSync(FEISHU_DOCUMENT_PATH, 'utf8')) as object);
  const file = join(tmpdir(), `feishu-emulator-profile-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(document));
  profileFile = file;
  return file;
}
