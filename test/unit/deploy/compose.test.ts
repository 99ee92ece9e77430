import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.ts';
import { readRepoFile as read, variablesLoadConfigReads } from './deploy-files.ts';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required?: boolean }[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  read_only?: boolean;
  cap_drop?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as Compose;
const real = parse(read('docker-compose.real.yml')) as Compose;

describe('docker-compose.yml', () => {
  it('has redis, postgres and sgops, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', 'sgops']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
  });

  it('keeps Redis and PostgreSQL data in named volumes', () => {
    const volumes = Object.keys(compose.volumes ?? {});
    const named = (service: Service) => (service.volumes ?? []).map((v) => v.split(':')[0]!);
    expect(volumes).toEqual(expect.arrayContaining(named(compose.services['redis']!)));
    expect(volumes).toEqual(expect.arrayContaining(named(compose.services['postgres']!)));
    expect(named(compose.services['postgres']!)).toHaveLength(1);
  });

  it('runs the sandbox by default, with its state in a volume and Redis from the redis service', () => {
    const sgops = compose.services['sgops']!;
    expect(sgops.build).toBe('.');
    expect(sgops.command).toEqual(['sandbox', '--state-dir', '/data']);
    expect(sgops.environment?.['REDIS_URL']).toBe('redis://redis:6379');
    expect(sgops.volumes).toContain('sandbox-data:/data');
    expect(sgops.depends_on?.['redis']?.condition).toBe('service_healthy');
    expect(sgops.healthcheck?.test).toEqual(
      expect.arrayContaining(['deploy/healthcheck.mjs', '--sandbox', '/data', '/healthz']),
    );
    expect(sgops.read_only).toBe(true);
    expect(sgops.cap_drop).toEqual(['ALL']);
  });

  it('runs `start` in real mode, with the env file, the configuration file and PostgreSQL', () => {
    const sgops = real.services['sgops']!;
    expect(sgops.command).toEqual(['start']);
    expect(sgops.env_file).toEqual([{ path: '.env', required: true }]);
    expect(sgops.environment?.['SGOPS_CONFIG']).toBe('/etc/sgops/config.yaml');
    expect(sgops.environment?.['DATABASE_URL']).toContain('@postgres:5432/sgops');
    expect(sgops.depends_on?.['postgres']?.condition).toBe('service_healthy');
    expect(sgops.volumes?.some((v) => v.endsWith(':/etc/sgops/config.yaml:ro'))).toBe(true);
    expect(sgops.volumes?.some((v) => v.includes('./deploy/base/config.yaml'))).toBe(true);
  });
});

describe('.env.example', () => {
  const names = read('.env.example')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((n): n is string => n !== undefined);

  it('documents every variable the configuration loader reads', () => {
    const variables = variablesLoadConfigReads();
    expect(variables).toContain('TENCENTCLOUD_SECRET_ID');
    expect(variables).toContain('SGOPS_CONFIG');
    for (const variable of variables) expect(names, variable).toContain(variable);
  });

  it('together with the example configuration file, gives a configuration sgops accepts', () => {
    const env: NodeJS.ProcessEnv = {};
    for (const line of read('.env.example').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (match) env[match[1]!] = match[2];
    }
    env['TENCENTCLOUD_SECRET_ID'] = 'AKIDexample';
    env['TENCENTCLOUD_SECRET_KEY'] = 'example-secret-key';
    env['SGOPS_AUDIT_KEY'] = 'an-audit-key-of-32-characters-xx';
    const config = loadConfig(env, (file) => {
      expect(file).toBe('/etc/sgops/config.yaml');
      return read('deploy/base/config.yaml');
    });
    expect(config.database).toEqual({ kind: 'pg', url: 'postgres://sgops:change-me@postgres:5432/sgops' });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.kubernetes.kubeconfig).toBe('/etc/sgops/kubeconfig');
    expect(config.policy.rules.length).toBeGreaterThan(0);
  });
});
