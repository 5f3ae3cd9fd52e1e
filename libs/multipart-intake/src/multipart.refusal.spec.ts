import { isMultipartRefusal, MultipartRefusal } from './multipart.refusal.js';

describe('MultipartRefusal', () => {
  it('carries its kind and facts, and says them in its message (for logs)', () => {
    const refusal = new MultipartRefusal('file-too-large', { field: 'file', filename: 'a.bin', limit: 5 });

    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({
      name: 'MultipartRefusal',
      kind: 'file-too-large',
      field: 'file',
      filename: 'a.bin',
      limit: 5,
    });
    expect(refusal.message).toBe(
      'multipart body refused: file-too-large (field "file", filename "a.bin", limit 5)',
    );
    expect(new MultipartRefusal('caller-gone').message).toBe('multipart body refused: caller-gone');
  });

  it('is recognised by class, and by name and kind when it comes from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { name: 'MultipartRefusal', kind: 'stalled' });

    expect(isMultipartRefusal(new MultipartRefusal('stalled'))).toBe(true);
    expect(isMultipartRefusal(foreign)).toBe(true);
    expect(isMultipartRefusal(new Error('stalled'))).toBe(false);
    expect(isMultipartRefusal({ name: 'MultipartRefusal', kind: 'stalled' })).toBe(false);
  });
});
