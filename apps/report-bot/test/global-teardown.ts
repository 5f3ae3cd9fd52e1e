/** Stops the emulator that `global-setup.ts` started for a `test` run. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.PACT === '1') return;
  const { mockFeishuGlobalTeardown } = await import('@feishu-attachments/mock-feishu/jest/global-teardown');
  await mockFeishuGlobalTeardown();
}
