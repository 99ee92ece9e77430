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

  it('refuses a workflow that imports the engine or the store, naming src/ports instead', async () => {
    const engine = await lint(
      'workflows/revoke/steps/plan-revoke.ts',
      "import type { Engine } from '../../../src/engine/engine.ts';\nexport type Driver = Engine;\n",
    );
    const store = await lint(
      'workflows/grant/machine.ts',
      "import type { Store } from '../../src/store/store.ts';\nexport type Records = Store;\n",
    );
    expect([...engine, ...store]).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*never the other way round.*src\/ports/),
      expect.stringMatching(/^no-restricted-imports: .*never the other way round.*src\/ports/),
    ]);
  });

  it('refuses a grant file that imports the revoke workflow, and a revoke file that imports the grant', async () => {
    const grant = await lint(
      'workflows/grant/steps/roll-back.ts',
      "import { planRevoke } from '../../revoke/steps/plan-revoke.ts';\nexport const plan = planRevoke;\n",
    );
    const revoke = await lint(
      'workflows/revoke/steps/remove-policy.ts',
      "import { plan } from '../../grant/steps/plan.ts';\nexport const planGrant = plan;\n",
    );
    expect(grant).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*\(revoke\/\).*workflows\/shared/),
    ]);
    expect(revoke).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*\(grant\/\).*workflows\/shared/),
    ]);
  });

  it('keeps the adapter rule for grant and revoke files, whose own blocks replace the general one', async () => {
    const messages = await lint(
      'workflows/revoke/steps/remove-policy.ts',
      "import { createTencentCloudNetwork } from '../../../adapters/tencentcloud/create-tencent-cloud-network.ts';\nexport const network = createTencentCloudNetwork;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*through a port in src\/ports/),
    ]);
  });

  it('refuses a shared file that imports either workflow', async () => {
    const messages = await lint(
      'workflows/shared/groups/read-group.ts',
      "import type { GrantSpec } from '../../grant/types.ts';\nimport type { RevokeSpec } from '../../revoke/types.ts';\nexport type Specs = GrantSpec | RevokeSpec;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*\(grant\/\)/),
      expect.stringMatching(/^no-restricted-imports: .*\(revoke\/\)/),
    ]);
  });

  it('lets grant and revoke import what they share from workflows/shared', async () => {
    const grant = await lint(
      'workflows/grant/steps/roll-back.ts',
      "import { removeRules } from '../../shared/groups/remove-rules.ts';\nexport const remove = removeRules;\n",
    );
    const revoke = await lint(
      'workflows/revoke/steps/remove-policy.ts',
      "import type { StepPorts } from '../../shared/step-ports.ts';\nimport type { StepResult } from '../../../src/ports/step-result.ts';\nexport type Ports = StepPorts;\nexport type Result = StepResult;\n",
    );
    expect([...grant, ...revoke]).toEqual([]);
  });

  it('lets the composition root import adapters', async () => {
    const messages = await lint(
      'src/main.ts',
      "import { createTencentCloudNetwork } from '../adapters/tencentcloud/create-tencent-cloud-network.ts';\nexport const network = createTencentCloudNetwork;\n",
    );
    expect(messages).toEqual([]);
  });
});

describe('the lint boundaries around adapters', () => {
  it('refuses an adapter that imports the engine, naming what an adapter may import', async () => {
    const messages = await lint(
      'adapters/tencentcloud/create-tencent-cloud-network.ts',
      "import type { Engine } from '../../src/engine/engine.ts';\nexport type Driver = Engine;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*only src\/ports, src\/domain and src\/errors\.ts/),
    ]);
  });

  it('refuses a stand-in that imports the store', async () => {
    const messages = await lint(
      'adapters/kubernetes/simulator/kubelet.ts',
      "import type { Store } from '../../../src/store/store.ts';\nexport type Kept = Store;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: /)]);
  });

  it('lets an adapter import a port, the domain and the error model', async () => {
    const messages = await lint(
      'adapters/tencentcloud/create-tencent-cloud-network.ts',
      [
        "import type { CloudNetwork } from '../../src/ports/cloud-network.ts';",
        "import { normaliseRequestId } from '../../src/domain/request-id.ts';",
        "import { AppError } from '../../src/errors.ts';",
        'export type Network = CloudNetwork;',
        'export const pieces = [normaliseRequestId, AppError];',
        '',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });

  it('refuses src code outside the composition root that imports an adapter', async () => {
    const messages = await lint(
      'src/chat/x.ts',
      "import { createSlackTransport } from '../../adapters/slack/create-slack-transport.ts';\nexport const transport = createSlackTransport;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: .*composition root/)]);
  });

  it('lets src/app, part of the composition root, import an adapter', async () => {
    const messages = await lint(
      'src/app/x.ts',
      "import { createSlackTransport } from '../../adapters/slack/create-slack-transport.ts';\nexport const transport = createSlackTransport;\n",
    );
    expect(messages).toEqual([]);
  });
});
