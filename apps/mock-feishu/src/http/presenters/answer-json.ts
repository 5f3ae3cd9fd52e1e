/**
 * JSON text written ahead of time, placed in an answer as it stands; `T` names the wire shape it
 * holds. A list page is answered from each attachment's text, kept between calls
 * (attachment-json.cache.ts), instead of stringifying its 50 objects again on every call.
 */
export class RawJson<T = unknown> {
  declare readonly shape?: T;
  constructor(readonly text: string) {}
}

/**
 * `JSON.stringify` of an answer whose plain objects and arrays may hold `RawJson` parts, each placed
 * as its text. Anything else (strings, numbers, dates, …) goes through `JSON.stringify` itself.
 */
export function answerJson(value: unknown): string {
  return written(value) ?? 'null';
}

function written(value: unknown): string | undefined {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => written(item) ?? 'null').join(',')}]`;
  if (isPlainObject(value)) {
    const members: string[] = [];
    for (const [key, member] of Object.entries(value)) {
      const text = written(member);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) as string | undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** What `res.json` would have sent the answer as; Express adds `; charset=utf-8`. */
export const JSON_CONTENT_TYPE = 'application/json';

/** `T` with its attachments given as their JSON text (a list page's `items`). */
export type WireJson<T> = {
  [K in keyof T]: T[K] extends readonly (infer I)[] ? RawJson<I>[] : RawJson<T[K]> | T[K];
};
