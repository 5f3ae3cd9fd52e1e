import type { HttpSide } from './http-side.js';

/** One side as the suite drives it. */
export interface SideDriver {
  label: 'real' | 'emulator';
  http: HttpSide;
  appId: string;
  appSecret: string;
  /** A user token for the user-token slice, when there is one. */
  userToken?: string;
  /** A second app holding only `task:task:read`, when there is one. */
  readApp?: { appId: string; appSecret: string };
  /** An app holding only the fine-grained attachment scopes, when there is one. */
  fineApp?: { appId: string; appSecret: string };
  /** A tasklist of the tenant, when one was given (any GUID on the emulator, which has none). */
  tasklistGuid?: string;
  /** An expired user token: given on the real side, made (by moving the clock) on the emulator. */
  expiredUserToken?: () => Promise<string>;
  /** Lets time pass: a real wait against Feishu, the control-plane clock on the emulator. */
  wait(ms: number): Promise<void>;
}
