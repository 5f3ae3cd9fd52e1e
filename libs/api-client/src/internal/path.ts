/** Builds a path with every interpolated value percent-encoded, so an id can never change the route. */
export function path(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce(
    (out, part, index) => out + part + (index < values.length ? encodeURIComponent(values[index]) : ''),
    '',
  );
}
