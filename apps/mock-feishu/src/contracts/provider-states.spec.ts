import { startMockFeishu, type RunningMockFeishu } from '../start-mock-feishu.js';
import { PROVIDER_STATES, feishuProviderStates, type ProviderStateName } from './provider-states.js';

describe('the provider states the package documents', () => {
  let feishu: RunningMockFeishu;

  beforeAll(async () => {
    feishu = await startMockFeishu({ port: 0, rateLimits: false });
  });
  afterAll(() => feishu.close());

  it('has a handler for each documented state and no other', () => {
    expect(Object.keys(feishuProviderStates(feishu)).sort()).toEqual(Object.keys(PROVIDER_STATES).sort());
  });

  it.each(Object.keys(PROVIDER_STATES) as ProviderStateName[])(
    '"%s" sets up and hands out exactly the values it documents',
    async (state) => {
      const values = await feishuProviderStates(feishu)[state]();
      expect(Object.keys(values).sort()).toEqual([...PROVIDER_STATES[state].values].sort());
      for (const value of Object.values(values)) expect(value).toEqual(expect.any(String));
    },
  );

  it('describes each state on one line', () => {
    for (const { description } of Object.values(PROVIDER_STATES)) {
      expect(description).toMatch(/^\S.*\.$/);
      expect(description).not.toContain('\n');
    }
  });
});
