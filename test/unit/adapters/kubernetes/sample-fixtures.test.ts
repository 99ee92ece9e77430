import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  sampleApplication,
  sampleSecurityGroupPolicy,
} from '../../../../adapters/kubernetes/simulator/sample-application.ts';

const fixtures = join(import.meta.dirname, '../../../fixtures/kubernetes');

describe('the sample world manifests', () => {
  it('seed exactly the sample application of the seed procedure', async () => {
    const docs = parseAllDocuments(await readFile(join(fixtures, 'sample-application.yaml'), 'utf8')).map(
      (d) => d.toJS(),
    );
    const app = sampleApplication();
    expect(docs).toEqual([app.deployment, app.service]);
  });

  it('match the seed procedure policy', async () => {
    const [doc] = parseAllDocuments(
      await readFile(join(fixtures, 'my-security-group-policy.yaml'), 'utf8'),
    ).map((d) => d.toJS());
    expect(doc).toEqual(sampleSecurityGroupPolicy('sg-a1b2c3d4'));
  });
});
