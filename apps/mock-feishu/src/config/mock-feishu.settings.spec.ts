import { OPTION_DEFAULTS, declaredOptions } from './mock-feishu.options.js';
import { MAX_JOURNAL_SIZE, MockFeishuSettings, isLoopbackHost } from './mock-feishu.settings.js';

describe('MockFeishuSettings defaults', () => {
  it('applies the default each option declares', () => {
    const settings = new MockFeishuSettings();
    const declared = declaredOptions().filter(([name]) => OPTION_DEFAULTS[name] !== undefined);

    expect(declared.length).toBeGreaterThan(10);
    for (const [name] of declared) {
      expect({ [name]: settings[name as keyof MockFeishuSettings] }).toEqual({
        [name]: OPTION_DEFAULTS[name],
      });
    }
  });
});

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    'LOCALHOST',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('counts %s as loopback', (host) => expect(isLoopbackHost(host)).toBe(true));

  it.each([
    '0.0.0.0',
    '::',
    '[::]',
    '10.0.0.5',
    '192.168.1.2',
    '128.0.0.1',
    '::ffff:10.0.0.1',
    'example.com',
    'localhost.example.com',
  ])('counts %s as reachable from elsewhere', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('MockFeishuSettings control token', () => {
  it('leaves the control plane open on loopback when no token is given', () => {
    const settings = new MockFeishuSettings({ host: '127.0.0.1' });
    expect(settings.controlToken).toBeUndefined();
    expect(settings.controlTokenGenerated).toBe(false);
  });

  it('generates a fresh random token on any other address', () => {
    const first = new MockFeishuSettings({ host: '0.0.0.0' });
    const second = new MockFeishuSettings({ host: '0.0.0.0' });
    expect(first.controlTokenGenerated).toBe(true);
    expect(first.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.controlToken).not.toBe(first.controlToken);
  });

  it('keeps a given token, on loopback or not', () => {
    expect(new MockFeishuSettings({ host: '0.0.0.0', controlToken: 't' }).controlToken).toBe('t');
    expect(new MockFeishuSettings({ controlToken: 't' }).controlTokenGenerated).toBe(false);
  });

  it('generates none with the control plane off', () => {
    expect(new MockFeishuSettings({ host: '0.0.0.0', controlPlane: false }).controlToken).toBeUndefined();
  });
});

describe('MockFeishuSettings journal size', () => {
  it('defaults to 1000 and refuses more than MAX_JOURNAL_SIZE (10 000) or less than 1', () => {
    expect(new MockFeishuSettings().journalSize).toBe(1000);
    expect(MAX_JOURNAL_SIZE).toBe(10_000);
    expect(() => new MockFeishuSettings({ journalSize: 10_001 })).toThrow(/1 to 10000/);
    expect(() => new MockFeishuSettings({ journalSize: 0 })).toThrow(RangeError);
  });
});
