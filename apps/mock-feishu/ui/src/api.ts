import createClient from 'openapi-fetch';
import type { components, paths } from './generated/control-plane';

export type Schemas = components['schemas'];
export type InspectedState = Schemas['InspectedState'];
export type InspectedTask = InspectedState['tasks'][number];
export type InspectedAttachment = Schemas['InspectedAttachment'];
export type DownloadUrl = Schemas['DownloadUrl'];
export type JournalEntry = Schemas['JournalEntry'];
export type DetailedJournalEntry = Schemas['DetailedJournalEntry'];
export type JournalBody = Schemas['JournalBody'];
export type FaultRule = Schemas['FaultRule'];
export type FaultRequest = Schemas['FaultRequest'];
export type SeedTaskRequest = Schemas['SeedTaskRequest'];
export type ClockState = Schemas['ClockState'];

export type Sandbox = Schemas['Sandbox'];

/** The sandbox every emulator starts with, which the plain `/__mock` routes act on. */
export const DEFAULT_SANDBOX = 'default';

/**
 * Where the page keeps the sandbox it shows: the address's fragment, `#sandbox=<id>`. A reload stays
 * on it, and unlike the query it survives the redirect that drops `?token=` from the address.
 */
export function sandboxInAddress(hash = window.location.hash): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('sandbox') || DEFAULT_SANDBOX;
}

let shown = sandboxInAddress();

/** The sandbox the page's control calls go to. */
export const shownSandbox = (): string => shown;

/** Sends the page's control calls to another sandbox, and writes it into the address. */
export function showSandbox(id: string): void {
  shown = id;
  const url = new URL(window.location.href);
  url.hash = id === DEFAULT_SANDBOX ? '' : new URLSearchParams({ sandbox: id }).toString();
  // Replaced, not pushed: Back leaves the page rather than stepping through earlier picks.
  if (url.href !== window.location.href) window.history.replaceState(null, '', url.href);
}

// The sandboxes' own routes act on the emulator, not on one sandbox (they do not nest).
const EMULATOR_WIDE = /^\/__mock\/sandboxes(\/|$)/;

/**
 * The one place the page's control URLs are built: a `/__mock` route of the shown sandbox, which for
 * any but the default one is the same route under its control base `/__mock/sandboxes/<id>`.
 */
export function controlUrl(route: string, sandbox = shown): string {
  const url = new URL(route, window.location.origin);
  if (sandbox !== DEFAULT_SANDBOX && !EMULATOR_WIDE.test(url.pathname)) {
    url.pathname = url.pathname.replace(
      /^\/__mock(?=\/|$)/,
      `/__mock/sandboxes/${encodeURIComponent(sandbox)}`,
    );
  }
  return url.href;
}

/** What openapi-fetch builds every call with: its URL goes through controlUrl. */
class ControlRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input instanceof Request ? input : controlUrl(String(input)), init);
  }
}

/**
 * The control plane, typed by its OpenAPI document. Same origin as the page, so the control
 * cookie (set when the page was opened with ?token=, for every path under /__mock) goes along on
 * its own, to a sandbox's control base too.
 */
export const controlPlane = createClient<paths>({
  baseUrl: window.location.origin,
  Request: ControlRequest,
});

/** The answer's data, or an Error carrying the control plane's own message. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await call;
  if (body !== undefined && response.ok) return body;
  const message =
    error && typeof error === 'object' && 'msg' in error ? String(error.msg) : `HTTP ${response.status}`;
  throw new Error(message);
}
