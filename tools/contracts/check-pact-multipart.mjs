#!/usr/bin/env node
/**
 * Checks every multipart/form-data request in the pacts, part by part.
 *
 * Pact matches a multipart body only shallowly: it looks up the first part of each expected name
 * and cannot say "two `file` parts", so an upload contract can lose a field or misname a file part
 * and still verify. This reads the body the verifier will replay and holds it to Feishu's upload
 * form (task-v2/attachment/upload): one `resource_type`, one `resource_id`, 1–5 `file` parts that
 * each carry a filename, and no other file field (`file[]`, `files`, …).
 *
 * Usage: node tools/contracts/check-pact-multipart.mjs [pactDir]   (default: <workspaceRoot>/pacts)
 * Exits 1 naming the pact file and interaction of every violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
// Feishu's limit, as libs/api-client/src/wire/limits.ts states it (MAX_FILES_PER_UPLOAD).
const MAX_FILES_PER_UPLOAD = 5;
const FILE_FIELD = 'file';
const TEXT_FIELDS = ['resource_type', 'resource_id'];

/** A header's value from a pact (V4: arrays of strings; older specs: strings), by case-insensitive name. */
function header(headers, name) {
  const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
  if (key === undefined) return undefined;
  const value = headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The bytes of a pact body: V4 keeps `{content, encoded}`, earlier specs keep the string itself. */
function bodyBytes(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typeof body.content !== 'string') return Buffer.from(JSON.stringify(body.content ?? ''), 'utf8');
  return body.encoded === 'base64' || body.encoded === true
    ? Buffer.from(body.content, 'base64')
    : Buffer.from(body.content, 'utf8');
}

const boundaryOf = (contentType) =>
  /boundary=(?:"([^"]+)"|([^;\s]+))/i
    .exec(contentType ?? '')
    ?.slice(1)
    .find(Boolean);

/** The parts of a multipart body, or a reason it cannot be read. */
export function parseMultipart(bytes, boundary) {
  // latin1 keeps one character per byte, so offsets and file bytes survive.
  const text = bytes.toString('latin1');
  const delimiter = `--${boundary}`;
  if (!text.startsWith(delimiter))
    return { error: `the body does not start with the boundary "${boundary}"` };
  const closing = text.indexOf(`\r\n${delimiter}--`);
  if (closing === -1) return { error: `the body has no closing boundary "${delimiter}--"` };
  const parts = text
    .slice(delimiter.length, closing)
    .split(`\r\n${delimiter}`)
    .map((raw) => {
      const separator = raw.indexOf('\r\n\r\n');
      const head = separator === -1 ? raw : raw.slice(0, separator);
      const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(head)?.[1] ?? '';
      return {
        name: /;\s*name="([^"]*)"/i.exec(disposition)?.[1],
        filename: /;\s*filename="([^"]*)"/i.exec(disposition)?.[1],
        contentType: /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim(),
        value: separator === -1 ? '' : raw.slice(separator + 4),
      };
    });
  return { parts };
}

/** What is wrong with one multipart request, as sentences; empty when nothing is. */
export function multipartProblems(request) {
  const headerType = header(request.headers, 'content-type');
  const bodyType = typeof request.body === 'object' ? request.body?.contentType : undefined;
  const boundary = boundaryOf(headerType) ?? boundaryOf(bodyType);
  if (!boundary) return [`no multipart boundary in Content-Type "${headerType ?? bodyType}"`];
  const problems = [];
  const bodyBoundary = boundaryOf(bodyType);
  if (bodyBoundary && boundaryOf(headerType) && bodyBoundary !== boundaryOf(headerType)) {
    problems.push(
      `the Content-Type header's boundary "${boundaryOf(headerType)}" is not the body's "${bodyBoundary}"`,
    );
  }
  const parsed = parseMultipart(bodyBytes(request.body), boundary);
  if (parsed.error) return [...problems, parsed.error];

  for (const field of TEXT_FIELDS) {
    const found = parsed.parts.filter((part) => part.name === field);
    if (found.length === 0) problems.push(`no "${field}" part`);
    else if (found.length > 1)
      problems.push(`"${field}" is sent ${found.length} times; Feishu takes it once`);
    else if (found[0].filename !== undefined)
      problems.push(`"${field}" is sent as a file; it is a text field`);
    else if (found[0].value.trim() === '') problems.push(`"${field}" is empty`);
  }
  const files = parsed.parts.filter((part) => part.name === FILE_FIELD);
  if (files.length === 0) problems.push(`no "${FILE_FIELD}" part`);
  if (files.length > MAX_FILES_PER_UPLOAD) {
    problems.push(`${files.length} "${FILE_FIELD}" parts; Feishu takes at most ${MAX_FILES_PER_UPLOAD}`);
  }
  files.forEach((part, index) => {
    if (!part.filename) problems.push(`"${FILE_FIELD}" part ${index + 1} has no filename`);
  });
  for (const part of parsed.parts) {
    if (part.name === undefined) problems.push('a part without a name');
    else if (part.filename !== undefined && part.name !== FILE_FIELD) {
      problems.push(`a file is sent as "${part.name}"; Feishu reads files only from "${FILE_FIELD}" parts`);
    } else if (part.name !== FILE_FIELD && !TEXT_FIELDS.includes(part.name)) {
      problems.push(`unexpected part "${part.name}"`);
    }
  }
  return problems;
}

const shown = (file) => (file.startsWith(WORKSPACE_ROOT) ? relative(WORKSPACE_ROOT, file) : file);

const isMultipart = (request) =>
  /^multipart\/form-data/i.test(header(request?.headers, 'content-type') ?? '') ||
  /^multipart\/form-data/i.test((typeof request?.body === 'object' && request?.body?.contentType) || '');

export function checkPactDir(pactDir) {
  const files = readdirSync(pactDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(pactDir, name));
  const failures = [];
  let checked = 0;
  for (const file of files) {
    const pact = JSON.parse(readFileSync(file, 'utf8'));
    for (const interaction of pact.interactions ?? []) {
      if (!isMultipart(interaction.request)) continue;
      checked++;
      for (const problem of multipartProblems(interaction.request)) {
        failures.push(`${shown(file)} › "${interaction.description}": ${problem}`);
      }
    }
  }
  return { files, checked, failures };
}

function main() {
  const pactDir = resolve(process.argv[2] ?? join(WORKSPACE_ROOT, 'pacts'));
  let result;
  try {
    result = checkPactDir(pactDir);
  } catch (error) {
    console.error(`check-pact-multipart: cannot read the pacts in ${pactDir}: ${error.message}`);
    return 1;
  }
  if (result.files.length === 0) {
    console.error(`check-pact-multipart: no pact files in ${pactDir}; run \`nx run api-client:pact\` first.`);
    return 1;
  }
  // The check exists for the upload contract; a pact set without one has lost it.
  if (result.checked === 0) {
    console.error(
      `check-pact-multipart: no multipart/form-data request in ${result.files.length} pact file(s).`,
    );
    return 1;
  }
  if (result.failures.length > 0) {
    console.error(
      `check-pact-multipart: ${result.failures.length} problem(s):\n  ${result.failures.join('\n  ')}`,
    );
    return 1;
  }
  console.log(
    `check-pact-multipart: ${result.checked} multipart request(s) in ${result.files.length} pact file(s) are well formed.`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
