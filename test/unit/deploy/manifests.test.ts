import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.ts';
import { readRepoFile, yamlDocuments, yamlFilesIn } from './deploy-files.ts';
import type { Manifest } from './deploy-files.ts';

interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface DeploymentManifest extends Manifest {
  spec: {
    replicas: number;
    template: {
      spec: {
        serviceAccountName: string;
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
        volumes: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}

const base = yamlFilesIn('deploy/base')
  .filter((file) => !file.endsWith('/kustomization.yaml'))
  .flatMap((file) => yamlDocuments(readRepoFile(file)).map((doc) => ({ file, doc: doc as Manifest })));
const kustomization = (folder: string) =>
  parse(readRepoFile(`${folder}/kustomization.yaml`)) as {
    resources: string[];
    configMapGenerator?: { name: string; files: string[] }[];
    patches?: { path: string; target: { kind: string; name: string } }[];
  };
const byKind = (kind: string) => base.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const deployment = byKind('Deployment')[0] as DeploymentManifest;
const bot = deployment.spec.template.spec.containers[0]!;

describe('the base manifests', () => {
  it('parse, and the kustomization lists every manifest file except the Secret example', () => {
    const listed = kustomization('deploy/base').resources.map((r) => `deploy/base/${r}`);
    const manifestFiles = [...new Set(base.filter((m) => m.doc.apiVersion !== undefined).map((m) => m.file))];
    expect(manifestFiles.filter((f) => !listed.includes(f))).toEqual(['deploy/base/secret.example.yaml']);
    for (const file of listed) expect(manifestFiles).toContain(file);
  });

  it('hold a Namespace, a ServiceAccount, a ClusterRole and its binding, a Deployment and a Service', () => {
    for (const kind of [
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Service',
    ])
      expect(byKind(kind), kind).toHaveLength(1);
    const binding = byKind('ClusterRoleBinding')[0] as Manifest & {
      roleRef: { kind: string; name: string };
      subjects: { kind: string; name: string; namespace: string }[];
    };
    expect(binding.roleRef).toMatchObject({
      kind: 'ClusterRole',
      name: byKind('ClusterRole')[0]!.metadata.name,
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'sgops', namespace: 'sgops' }]);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('sgops');
  });

  it('probe /healthz for liveness and /readyz for readiness on the http port', () => {
    expect(bot.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(bot.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('set resource requests and limits, and run non-root with a read-only root and no capabilities', () => {
    expect(bot.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(bot.resources?.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(bot.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    // tsx needs a writable temp directory under a read-only root.
    expect(bot.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  it('take every secret from the sgops-secrets Secret, the required ones without `optional`', () => {
    const fromSecret = Object.fromEntries(
      (bot.env ?? [])
        .filter((e) => e.valueFrom?.secretKeyRef)
        .map((e) => [e.name, e.valueFrom!.secretKeyRef!]),
    );
    for (const name of [
      'TENCENTCLOUD_SECRET_ID',
      'TENCENTCLOUD_SECRET_KEY',
      'SGOPS_AUDIT_KEY',
      'DATABASE_URL',
      'REDIS_URL',
    ]) {
      expect(fromSecret[name], name).toMatchObject({ name: 'sgops-secrets' });
      expect(fromSecret[name]!.optional, name).toBeUndefined();
    }
    for (const name of [
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'WECOM_CORP_SECRET',
      'WECOM_TOKEN',
      'WECOM_ENCODING_AES_KEY',
    ])
      expect(fromSecret[name], name).toMatchObject({ name: 'sgops-secrets', optional: true });
    expect((bot.env ?? []).filter((e) => e.value !== undefined).map((e) => e.name)).toEqual(['SGOPS_CONFIG']);
    const example = yamlDocuments(readRepoFile('deploy/base/secret.example.yaml'))[0] as {
      stringData: object;
    };
    for (const ref of Object.values(fromSecret)) expect(Object.keys(example.stringData)).toContain(ref.key);
  });

  it('mount the configuration from a ConfigMap generated from a file sgops accepts', () => {
    const generator = kustomization('deploy/base').configMapGenerator?.[0];
    expect(generator).toEqual({ name: 'sgops-config', files: ['config.yaml'] });
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'config',
      configMap: { name: 'sgops-config' },
    });
    expect(bot.env).toContainEqual({ name: 'SGOPS_CONFIG', value: '/etc/sgops/config.yaml' });
    const config = loadConfig(
      {
        SGOPS_CONFIG: '/etc/sgops/config.yaml',
        TENCENTCLOUD_SECRET_ID: 'AKIDexample',
        TENCENTCLOUD_SECRET_KEY: 'example',
        SGOPS_AUDIT_KEY: 'an-audit-key-of-32-characters-xx',
      },
      () => readRepoFile('deploy/base/config.yaml'),
    );
    expect(config.http.port).toBe(8080);
    expect(config.kubernetes).toEqual({});
    expect(config.policy.rules.length).toBeGreaterThan(1);
  });

  it('expose port 8080 through a Service selecting the Deployment pods', () => {
    const service = byKind('Service')[0] as Manifest & {
      spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    };
    expect(service.spec.ports).toContainEqual(expect.objectContaining({ port: 8080, targetPort: 'http' }));
    const labels = (deployment.spec.template as unknown as { metadata: { labels: Record<string, string> } })
      .metadata.labels;
    expect(labels).toMatchObject(service.spec.selector);
  });
});

describe('the sandbox overlay', () => {
  const patch = yamlDocuments(readRepoFile('deploy/overlays/sandbox/sandbox-deployment.yaml'))[0] as {
    op: string;
    path: string;
    value: unknown;
  }[];
  const valueAt = (p: string) => patch.find((op) => op.path === p)?.value;

  it('builds on the base and patches its Deployment', () => {
    const k = kustomization('deploy/overlays/sandbox');
    expect(k.resources).toEqual(['../../base']);
    expect(k.patches).toEqual([
      { path: 'sandbox-deployment.yaml', target: { kind: 'Deployment', name: 'sgops' } },
    ]);
  });

  it('runs one replica of `sandbox` with its state in an emptyDir and Redis beside it', () => {
    expect(valueAt('/spec/replicas')).toBe(1);
    expect(valueAt('/spec/template/spec/containers/0/args')).toEqual(['sandbox', '--state-dir', '/data']);
    expect(valueAt('/spec/template/spec/containers/0/env')).toContainEqual({
      name: 'REDIS_URL',
      value: 'redis://127.0.0.1:6379',
    });
    expect(valueAt('/spec/template/spec/volumes/-')).toBeDefined();
    const volumes = patch.filter((op) => op.path === '/spec/template/spec/volumes/-').map((op) => op.value);
    expect(volumes).toContainEqual({ name: 'state', emptyDir: { sizeLimit: '1Gi' } });
    const sidecar = valueAt('/spec/template/spec/containers/-') as Container;
    expect(sidecar.name).toBe('redis');
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });
});
