import {
  UnknownProviderStateError,
  strictStates,
  type StateSetup,
  type StrictStates,
} from './strict-states.js';

// What pact-js does with a function handler: look it up by the state's name and call it.
const setUp = (states: StrictStates, state: string, params?: unknown) =>
  (states.stateHandlers[state] as StateSetup)(params);

describe('strictStates', () => {
  it('runs the handler of a known state with its params and hands its values on', async () => {
    const seen: unknown[] = [];
    const states = strictStates({
      'task T exists': async (params) => {
        seen.push(params);
        return { taskGuid: 'f860de3e-6881-4ddd-9321-070f36d1af0b' };
      },
    });
    const values = await setUp(states, 'task T exists', { summary: 'x' });
    expect(values).toEqual({ taskGuid: 'f860de3e-6881-4ddd-9321-070f36d1af0b' });
    expect(seen).toEqual([{ summary: 'x' }]);
    expect(states.current()).toEqual(values);
    expect(states.failures).toEqual([]);
  });

  it('throws for a state with no handler, naming it and the known states, and records it', async () => {
    const states = strictStates({ 'task T exists': async () => ({}) });
    expect(typeof states.stateHandlers['task T was archived']).toBe('function');
    const failure = setUp(states, 'task T was archived');
    await expect(failure).rejects.toBeInstanceOf(UnknownProviderStateError);
    await expect(failure).rejects.toThrow('No provider state handler for "task T was archived"');
    await expect(failure).rejects.toThrow('known states: task T exists');
    expect(states.failures).toEqual([
      expect.stringMatching(/^"task T was archived": No provider state handler/),
    ]);
  });

  it('does not mistake inherited object properties for state handlers', async () => {
    const states = strictStates({});
    await expect(setUp(states, 'toString')).rejects.toThrow('No provider state handler for "toString"');
  });

  it('records a failing handler under its state and rethrows the error', async () => {
    const states = strictStates({
      'task T exists': async () => {
        throw new Error('emulator refused the seed');
      },
    });
    await expect(setUp(states, 'task T exists')).rejects.toThrow('emulator refused the seed');
    expect(states.failures).toEqual(['"task T exists": emulator refused the seed']);
  });

  it('forgets the previous state values when the next state is set up', async () => {
    const states = strictStates({
      first: async () => ({ taskGuid: 'a' }),
      second: async () => {
        throw new Error('no');
      },
    });
    await setUp(states, 'first');
    await expect(setUp(states, 'second')).rejects.toThrow('no');
    expect(states.current()).toEqual({});
  });
});
