// Preloaded (node -r) into an emulator child to play a machine with no SQLite at all: better-sqlite3
// not installed (the optional peer dependency left out) and a Node without node:sqlite (before 22.5).
const Module = require('node:module');

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'better-sqlite3') {
    throw Object.assign(new Error(`Cannot find module 'better-sqlite3'`), { code: 'MODULE_NOT_FOUND' });
  }
  if (request === 'node:sqlite') {
    throw Object.assign(new Error('No such built-in module: node:sqlite'), {
      code: 'ERR_UNKNOWN_BUILTIN_MODULE',
    });
  }
  return load.call(this, request, ...rest);
};
