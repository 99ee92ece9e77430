import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';

const ns = 'semantics';
const policies = `/apis/vpcresources.tke.cloud.tencent.com/v1beta1/namespaces/${ns}/securitygrouppolicies`;

function policy(name: string, extraSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
    kind: 'SecurityGroupPolicy',
    metadata: { name, namespace: ns },
    spec: {
      podSelector: { matchLabels: { app: name } },
      securityGroups: { groupIds: ['sg-a1b2c3d4'] },
      ...extraSpec,
    },
  };
}

describe('the simulator answers as kube-apiserver does', () => {
  let sim: KubernetesSimulator;
  let url: string;

  beforeEach(async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    ({ url } = await sim.start());
    sim.create('namespaces', undefined, { metadata: { name: ns } });
  });
  afterEach(() => sim.stop());

  const send = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'Content-Type': contentType },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  describe('watch', () => {
    it('streams a watch for watch=True, as the Python client asks, and lists for watch=false', async () => {
      sim.create('configmaps', ns, { metadata: { name: 'one' } });
      const listed = (await (
        await send('GET', `/api/v1/namespaces/${ns}/configmaps?watch=false`)
      ).json()) as {
        kind: string;
      };
      expect(listed.kind).toBe('ConfigMapList');

      const controller = new AbortController();
      const res = await fetch(`${url}/api/v1/namespaces/${ns}/configmaps?watch=True`, {
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'one' } },
      });
      expect(sim.calls()).toMatchObject({ 'watch configmaps': 1, 'list configmaps': 1 });
    });
  });

  describe('patch content types', () => {
    it('refuses a strategic merge patch of a custom resource with 415, not listing strategic merge among the accepted types', async () => {
      expect((await send('POST', policies, policy('p'))).status).toBe(201);
      const res = await send(
        'PATCH',
        `${policies}/p`,
        { metadata: { labels: { a: 'b' } } },
        'application/strategic-merge-patch+json',
      );
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      });
    });

    it('lists strategic merge among the accepted types of a built-in kind', async () => {
      sim.create('configmaps', ns, { metadata: { name: 'c' } });
      const res = await send('PATCH', `/api/v1/namespaces/${ns}/configmaps/c`, {}, 'text/plain');
      expect(res.status).toBe(415);
      expect(((await res.json()) as { message: string }).message).toBe(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      );
    });
  });

  describe('dryRun=All', () => {
    it('admits, validates and answers a create, a patch and a delete as if done, storing nothing and sending no watch event', async () => {
      expect((await send('POST', policies, policy('kept'))).status).toBe(201);
      const before = sim.state().resourceVersion;
      const controller = new AbortController();
      const watch = await fetch(`${url}${policies}?watch=1&resourceVersion=${before}`, {
        signal: controller.signal,
      });

      const created = await send('POST', `${policies}?dryRun=All`, policy('dry'));
      expect(created.status).toBe(201);
      const body = (await created.json()) as { metadata: Record<string, unknown> };
      expect(body.metadata).toMatchObject({ name: 'dry', namespace: ns });
      expect(body.metadata['uid']).toEqual(expect.any(String));
      expect(body.metadata['resourceVersion']).toBeUndefined();

      const patched = await send(
        'PATCH',
        `${policies}/kept?dryRun=All`,
        { metadata: { labels: { tried: 'yes' } } },
        'application/merge-patch+json',
      );
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({
        metadata: { labels: { tried: 'yes' }, resourceVersion: String(before) },
      });

      const invalid = await send('POST', `${policies}?dryRun=All`, policy('bad', { securityGroups: {} }));
      expect(invalid.status).toBe(422);

      const deleted = await fetch(`${url}${policies}/kept`, {
        method: 'DELETE',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }),
      });
      expect(deleted.status).toBe(200);

      expect(sim.state().resourceVersion).toBe(before);
      expect(sim.list('securitygrouppolicies', ns).map((p) => p.metadata.name)).toEqual(['kept']);
      expect(sim.get('securitygrouppolicies', ns, 'kept')?.metadata.labels).toBeUndefined();

      // The first event the watch sees is the next real write, not any of the dry runs.
      expect((await send('POST', policies, policy('real'))).status).toBe(201);
      const reader = watch.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'real' } },
      });
    });

    it('refuses any other dryRun value with the 422 kube-apiserver gives', async () => {
      const res = await send('POST', `${policies}?dryRun=Everything`, policy('p'));
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        reason: 'Invalid',
        message:
          'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Everything"]: supported values: "All"',
        details: { group: 'meta.k8s.io', kind: 'CreateOptions' },
      });
      expect(sim.list('securitygrouppolicies', ns)).toEqual([]);
    });
  });

  describe('unknown fields of a custom resource', () => {
    it('prunes them when storing and, by default, warns of each', async () => {
      const res = await send(
        'POST',
        policies,
        policy('p', { extra: 1, podSelector: { matchLabels: {}, x: 2 } }),
      );
      expect(res.status).toBe(201);
      expect(res.headers.get('warning')).toBe(
        '299 - "unknown field \\"spec.podSelector.x\\"", 299 - "unknown field \\"spec.extra\\""',
      );
      const stored = sim.get('securitygrouppolicies', ns, 'p')!;
      expect(stored.spec).toEqual({
        podSelector: { matchLabels: {} },
        securityGroups: { groupIds: ['sg-a1b2c3d4'] },
      });
      expect(((await res.json()) as { spec: object }).spec).toEqual(stored.spec);
    });

    it('prunes what a merge patch adds, silently under fieldValidation=Ignore', async () => {
      expect((await send('POST', policies, policy('p'))).status).toBe(201);
      const before = sim.get('securitygrouppolicies', ns, 'p')!;
      const res = await send(
        'PATCH',
        `${policies}/p?fieldValidation=Ignore`,
        { spec: { unknown: true } },
        'application/merge-patch+json',
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('warning')).toBeNull();
      expect(sim.get('securitygrouppolicies', ns, 'p')).toEqual(before);
    });

    it('refuses them with 400 under fieldValidation=Strict, storing nothing', async () => {
      const res = await send('POST', `${policies}?fieldValidation=Strict`, policy('p', { extra: 1 }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        reason: 'BadRequest',
        message:
          'SecurityGroupPolicy in version "v1beta1" cannot be handled as a SecurityGroupPolicy: strict decoding error: unknown field "spec.extra"',
      });
      expect(sim.list('securitygrouppolicies', ns)).toEqual([]);
    });

    it('refuses an unknown fieldValidation value with 422', async () => {
      const res = await send('POST', `${policies}?fieldValidation=Loose`, policy('p'));
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toBe(
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
      );
    });
  });

  describe('server-side apply', () => {
    const apply = (path: string, body: string) =>
      fetch(`${url}${path}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
        body,
      });

    it('creates an object that does not exist, answering 201, from a YAML body', async () => {
      const yaml = [
        'apiVersion: vpcresources.tke.cloud.tencent.com/v1beta1',
        'kind: SecurityGroupPolicy',
        `metadata: {name: applied, namespace: ${ns}}`,
        'spec:',
        '  podSelector: {matchLabels: {app: web}}',
        '  securityGroups: {groupIds: [sg-a1b2c3d4]}',
      ].join('\n');
      const res = await apply(`${policies}/applied?fieldManager=test`, yaml);
      expect(res.status).toBe(201);
      expect(sim.get('securitygrouppolicies', ns, 'applied')?.spec).toEqual({
        podSelector: { matchLabels: { app: 'web' } },
        securityGroups: { groupIds: ['sg-a1b2c3d4'] },
      });
    });

    it('merges the applied configuration into an object that exists, answering 200', async () => {
      sim.create('configmaps', ns, { metadata: { name: 'c', labels: { kept: 'yes' } }, data: { a: '1' } });
      const res = await apply(
        `/api/v1/namespaces/${ns}/configmaps/c?fieldManager=test`,
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '2' } }),
      );
      expect(res.status).toBe(200);
      expect(sim.get('configmaps', ns, 'c')).toMatchObject({
        metadata: { labels: { kept: 'yes' } },
        data: { a: '1', b: '2' },
      });
    });

    it('refuses an apply without a fieldManager with the 422 kube-apiserver gives, creating nothing', async () => {
      const res = await apply(`${policies}/p`, JSON.stringify(policy('p')));
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toBe(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
      expect(sim.get('securitygrouppolicies', ns, 'p')).toBeUndefined();
    });
  });

  describe('OpenAPI v3', () => {
    it("publishes the SecurityGroupPolicy's schema from its CRD, under its group-version-kind, at the URL the index gives", async () => {
      const index = (await (await send('GET', '/openapi/v3')).json()) as {
        paths: Record<string, { serverRelativeURL: string }>;
      };
      const entry = index.paths['apis/vpcresources.tke.cloud.tencent.com/v1beta1']!;
      expect(entry.serverRelativeURL).toMatch(
        /^\/openapi\/v3\/apis\/vpcresources\.tke\.cloud\.tencent\.com\/v1beta1\?hash=[0-9A-F]{128}$/,
      );
      const doc = (await (await send('GET', entry.serverRelativeURL)).json()) as {
        components: { schemas: Record<string, Record<string, unknown>> };
      };
      const schema =
        doc.components.schemas['com.tencent.cloud.tke.vpcresources.v1beta1.SecurityGroupPolicy']!;
      expect(schema['x-kubernetes-group-version-kind']).toEqual([
        { group: 'vpcresources.tke.cloud.tencent.com', version: 'v1beta1', kind: 'SecurityGroupPolicy' },
      ]);
      expect(schema).toMatchObject({
        properties: {
          metadata: {
            allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
          },
          spec: { properties: { podSelector: { type: 'object' }, securityGroups: { type: 'object' } } },
        },
      });
      expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    });

    it('publishes the built-in kinds with their top-level fields', async () => {
      const doc = (await (await send('GET', '/openapi/v3/apis/apps/v1')).json()) as {
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      };
      expect(Object.keys(doc.components.schemas['io.k8s.api.apps.v1.Deployment']!.properties)).toEqual([
        'apiVersion',
        'kind',
        'metadata',
        'spec',
        'status',
      ]);
    });
  });

  it('reports a version whose major and minor agree with its gitVersion', async () => {
    const version = (await (await send('GET', '/version')).json()) as Record<string, string>;
    expect(version['gitVersion']).toBe('v1.30.0-tke.1');
    expect(`v${version['major']}.${version['minor']}.`).toBe(
      version['gitVersion']!.slice(0, 'v1.30.'.length),
    );
  });
});
