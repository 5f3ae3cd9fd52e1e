import { REDACTED, redact } from './redact.js';

describe('redact', () => {
  it('removes every known secret, longest first, also in its JSON-escaped form', () => {
    const url = 'https://drive.example/download/authcode/?code=abc_DEF-123';
    const text = JSON.stringify({ url, again: `see ${url}`, secret: 'my-app-secret' });

    const out = redact(text, [url, 'abc_DEF-123', 'my-app-secret']);

    expect(out).not.toContain('abc_DEF-123');
    expect(out).not.toContain('my-app-secret');
    expect(out).toContain(REDACTED);
  });

  it('removes what looks like a token or a download code even when the run never held it', () => {
    const out = redact(
      'token t-caecc734c2e3328a62489fe0648c4b98 user u-7f1bcd13fc57d46bac2179 jwt eyJhbGciOiJFUzI1NiIs.eyJzdWIi.sig url /authcode/?code=OWMzNDlm&x=1',
      [],
    );

    expect(out).toBe(
      `token ${REDACTED} user ${REDACTED} jwt ${REDACTED} url /authcode/?code=${REDACTED}&x=1`,
    );
  });

  it('leaves step names, file names and field paths alone', () => {
    const text = 'list-first-page parity-1.txt data.items[].uploader.role upload-sixth';

    expect(redact(text, [])).toBe(text);
  });
});
