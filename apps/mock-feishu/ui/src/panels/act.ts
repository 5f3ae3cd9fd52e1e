/** Runs an operator's action with its status line (the page's `act`), for every panel that acts. */
export type Act = (what: string, action: () => Promise<unknown>) => Promise<void>;
