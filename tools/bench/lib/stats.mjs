// Small statistics over repeated measurements, and the number formats the report uses.

/** The p-th percentile (0–100) of numbers already sorted ascending, by nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of the finite values; NaN when there are none. */
export function median(values) {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);

const MIB = 1024 * 1024;
export const toMiB = (bytes) => bytes / MIB;
/** Megabytes (10^6 bytes) per second, as disk and network speeds are usually quoted. */
export const megabytesPerSecond = (bytes, seconds) => bytes / 1e6 / seconds;

/** A number with about three significant digits, for tables. */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return 'n/a';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

export const formatRatio = (value) => (Number.isFinite(value) ? `${formatNumber(value)} ×` : 'n/a');
