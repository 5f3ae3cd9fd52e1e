import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The version in the package's own package.json, read at run time: the file sits one level above
 * both `src` (tests) and `dist` (the installed command), while importing it would put it inside
 * the compiled tree.
 */
export const MOCK_FEISHU_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
