import { readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { consumerGenerator } from './consumer.generator';

describe('the consumer generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    // Nx's empty workspace configures oxfmt; this workspace formats with Prettier only.
    tree.delete('.oxfmtrc.json');
    // formatFiles formats with Prettier when the workspace configures it, as this one does.
    tree.write(
      '.prettierrc.json',
      JSON.stringify({ singleQuote: true, printWidth: 110, trailingComma: 'all' }),
    );
    tree.write(
      'libs/api-client/package.json',
      JSON.stringify({ name: '@feishu-attachments/api-client', version: '1.2.3' }),
    );
  });

  it('creates apps/<name> tagged pact-consumer, with the pact target the verification reads', async () => {
    await consumerGenerator(tree, { name: 'report-bot' });

    const project = readProjectConfiguration(tree, 'report-bot');
    expect(project.root).toBe('apps/report-bot');
    expect(project.tags).toEqual(['scope:report-bot', 'type:app', 'pact-consumer']);
    // lint and test come from @nx/eslint/plugin and @nx/jest/plugin; test only adds its dependency.
    expect(Object.keys(project.targets ?? {}).sort()).toEqual(['build', 'pact', 'test', 'typecheck']);
    expect(project.targets?.test).toEqual({ dependsOn: ['^build'] });
    expect(project.targets?.pact?.outputs).toEqual(['{workspaceRoot}/pacts/{projectName}-mock-feishu.json']);
    expect(project.targets?.pact?.options.env).toEqual({ PACT: '1', PACT_DO_NOT_TRACK: 'true' });
  });

  it('names the pact after the project and depends on the exact client version', async () => {
    await consumerGenerator(tree, { name: 'report-bot' });

    const pactSpec = tree.read('apps/report-bot/test/pact/attachment-names.pact.spec.ts', 'utf8')!;
    expect(pactSpec).toContain("consumer: 'report-bot'");
    expect(pactSpec).toContain("provider: 'mock-feishu'");
    expect(pactSpec).toContain('Bearer ${tenantAccessToken}');
    expect(tree.read('apps/report-bot/test/global-setup.ts', 'utf8')).toContain(
      'report-bot-mock-feishu.json',
    );
    expect(readJson(tree, 'apps/report-bot/package.json').dependencies).toEqual({
      '@feishu-attachments/api-client': '1.2.3',
    });
    expect(tree.children('apps/report-bot').filter((name) => name.includes('__tpl__'))).toEqual([]);
  });

  it("adds the app's tsconfig and build config to the solution file that workspace:compile-all builds", async () => {
    tree.write(
      'tsconfig.json',
      JSON.stringify({
        files: [],
        references: [{ path: './apps/admin-api' }, { path: './libs/api-client' }],
      }),
    );
    await consumerGenerator(tree, { name: 'report-bot' });

    expect(readJson(tree, 'tsconfig.json')).toEqual({
      files: [],
      references: [
        { path: './apps/admin-api' },
        { path: './apps/report-bot' },
        { path: './apps/report-bot/tsconfig.app.json' },
        { path: './libs/api-client' },
      ],
    });
  });

  it('refuses a name that is not kebab-case, and an existing folder', async () => {
    await expect(consumerGenerator(tree, { name: 'Report_Bot' })).rejects.toThrow(/kebab-case/);
    tree.write('apps/taken/README.md', '# taken');
    await expect(consumerGenerator(tree, { name: 'taken' })).rejects.toThrow(/already exists/);
  });
});
