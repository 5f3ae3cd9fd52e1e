import { refusalOfParserError } from './parser-error.refusal.js';

describe('refusalOfParserError', () => {
  it.each([
    ['Unexpected end of multipart data', 'ended-early'],
    ['Part terminated early due to unexpected end of multipart data', 'ended-early'],
    ['Malformed part header', 'malformed-header'],
    ['something else entirely', 'malformed'],
  ])('%s → %s', (message, kind) => {
    expect(refusalOfParserError(new Error(message)).kind).toBe(kind);
  });

  it('takes a thrown value that is not an Error as malformed', () => {
    expect(refusalOfParserError('boom').kind).toBe('malformed');
  });
});
