/**
 * Browsers and undici write `"`, CR and LF in form-data names and filenames as %22, %0D, %0A
 * (WHATWG); the parser leaves them escaped. Multer reversed exactly these three, so names kept
 * meaning the same when both apps moved off it; any other `%xx` stays as sent.
 */
export const decodeFormDataName = (name: string): string =>
  name.replace(/%0A|%0D|%22/gi, (match) =>
    match.toUpperCase() === '%0A' ? '\n' : match.toUpperCase() === '%0D' ? '\r' : '"',
  );
