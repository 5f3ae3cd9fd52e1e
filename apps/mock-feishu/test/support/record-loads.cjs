// Preloaded (`node -r ./record-loads.cjs …`) into a CLI child by test/cli/cli-startup.e2e.spec.ts: appends
// to the file named by RECORD_LOADS_TO, one line each, every file the process resolves through
// require (every package our CommonJS reaches, Nest's entry points included) as it happens, so
// the record holds even if the process is killed; at exit, every module in require's cache too.
const Module = require('node:module');
const fs = require('node:fs');

const fd = fs.openSync(process.env.RECORD_LOADS_TO, 'a');
const seen = new Set();
const note = (filename) => {
  if (seen.has(filename)) return;
  seen.add(filename);
  fs.writeSync(fd, `${filename}\n`);
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const filename = resolve.apply(this, args);
  note(filename);
  return filename;
};
process.on('exit', () => Object.keys(require.cache).forEach(note));
