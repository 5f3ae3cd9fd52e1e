/** What a provider state sets up, and the values it hands to the pact's `fromProviderState` expressions. */
export interface ProviderStateInfo {
  /** One line: what the emulator holds once the state is set up. */
  readonly description: string;
  /** The names a pact can use as `${name}` in a provider-state expression. */
  readonly values: readonly string[];
}
