import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Lints `code` as if it were the file at `filePath` (relative to the repository), with the project's config. */
async function lint(filePath: string, code: string) {
  const [result] = await new ESLint({ cwd: repoRoot }).lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the lint boundaries CI checks', () => {
  it('refuses a workflow that imports an adapter, naming the port to use instead', async () => {
    const messages = await lint(
      'workflows/grant/steps/reach-the-cloud.ts',
      "import { createTencentCloudNetwork } from '../../../adapters/tencentcloud/create-tencent-cloud-network.ts';\nexport const network = createTencentCloudNetwork;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*through a port in src\/ports/),
    ]);
  });

  it('lets a workflow import a port', async () => {
    const messages = await lint(
      'workflows/grant/steps/reach-the-cloud.ts',
      "import type { CloudNetwork } from '../../../src/ports/cloud-network.ts';\nexport type Network = CloudNetwork;\n",
    );
    expect(messages).toEqual([]);
  });

  it('lets the composition root import adapters', async () => {
    const messages = await lint(
      'src/wiring.ts',
      "import { createTencentCloudNetwork } from '../adapters/tencentcloud/create-tencent-cloud-network.ts';\nexport const network = createTencentCloudNetwork;\n",
    );
    expect(messages).toEqual([]);
  });
});
