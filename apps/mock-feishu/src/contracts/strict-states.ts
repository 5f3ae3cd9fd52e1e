/** Values a state hands to the verifier for `fromProviderState` expressions, e.g. `taskGuid`. */
export type StateValues = Record<string, string>;
export type StateSetup = (params?: unknown) => Promise<StateValues>;
/** What Pact's `Verifier` takes as `stateHandlers` (declared here so nothing of Pact is loaded). */
export type VerifierStateHandlers = Record<string, StateSetup>;

// Property names JavaScript itself looks up and calls on objects (JSON, promises).
const NOT_STATES = new Set(['toJSON', 'then']);

export class UnknownProviderStateError extends Error {
  override name = 'UnknownProviderStateError';
}

export interface StrictStates {
  /** For `new Verifier({ stateHandlers })`: every name resolves, unknown ones to a handler that throws. */
  readonly stateHandlers: VerifierStateHandlers;
  /** Every state that could not be set up, as `"<state>": <why>`. Pact-js only logs these. */
  readonly failures: string[];
  /** Values of the state set up last: the interaction being verified (each names one state). */
  current(): StateValues;
}

/**
 * Provider states that refuse to be skipped. Pact-js answers the verifier with 200 when a state
 * has no handler or its handler throws, and the interaction then runs against whatever state
 * the emulator was left in; here both are recorded so the verification can be failed on them.
 */
export function strictStates(handlers: Record<string, StateSetup>): StrictStates {
  const failures: string[] = [];
  let current: StateValues = {};

  const run = (state: string) => async (params?: unknown) => {
    current = {};
    try {
      const handler = Object.hasOwn(handlers, state) ? handlers[state] : undefined;
      if (!handler) {
        throw new UnknownProviderStateError(
          `No provider state handler for "${state}"; known states: ${Object.keys(handlers).join(' | ')}`,
        );
      }
      current = await handler(params);
      return current;
    } catch (error) {
      failures.push(`"${state}": ${(error as Error).message}`);
      throw error;
    }
  };

  const stateHandlers = new Proxy({} as VerifierStateHandlers, {
    // Pact-js logs its options with JSON.stringify, which calls a `toJSON` it finds: not a state.
    get: (_target, name) => (typeof name === 'string' && !NOT_STATES.has(name) ? run(name) : undefined),
    has: (_target, name) => typeof name === 'string' && !NOT_STATES.has(name),
  });
  return { stateHandlers, failures, current: () => current };
}
