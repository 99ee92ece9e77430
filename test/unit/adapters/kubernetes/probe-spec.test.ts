import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../adapters/kubernetes/simulator/kube-object.ts';
import { PodLogs } from '../../../../adapters/kubernetes/simulator/pod-logs.ts';
import { probeSpecOf } from '../../../../adapters/kubernetes/simulator/probe-spec.ts';

function pod(annotations: Record<string, string>, command?: string[], args?: string[]): KubeObject {
  return {
    metadata: { name: 'p', uid: 'u1', annotations },
    spec: { containers: [{ name: 'c', image: 'busybox', command, args }] },
  };
}

describe('probe pods', () => {
  it('reads the probe from the sgops.io/probe annotation', () => {
    expect(probeSpecOf(pod({ 'sgops.io/probe': '{"dns":"my-app","http":"http://my-app:80/"}' }))).toEqual({
      spec: { dns: 'my-app', http: 'http://my-app:80/' },
    });
  });

  it('reads the probe from the sgops-probe command and its args', () => {
    expect(probeSpecOf(pod({}, ['sgops-probe'], ['--http', 'http://10.0.64.3/']))).toEqual({
      spec: { http: 'http://10.0.64.3/' },
    });
  });

  it('ignores ordinary pods', () => {
    expect(probeSpecOf(pod({}, ['nginx', '-g', 'daemon off;']))).toBeUndefined();
    expect(probeSpecOf(pod({}))).toBeUndefined();
  });

  it('reports a malformed probe instead of guessing', () => {
    expect(probeSpecOf(pod({ 'sgops.io/probe': 'dns=my-app' }))).toEqual({
      error: 'sgops.io/probe: not JSON',
    });
    expect(probeSpecOf(pod({ 'sgops.io/probe': '{"ping":"x"}' }))).toEqual({
      error: 'sgops.io/probe: unknown field ping',
    });
    expect(probeSpecOf(pod({}, ['sgops-probe']))).toEqual({
      error: 'sgops-probe: give --dns NAME and/or --http URL',
    });
  });

  it('serves a started container log, its tail, and refuses containers that have not started', () => {
    const logs = new PodLogs();
    logs.set('u1', 'one\ntwo\nthree\n');
    const running = { ...pod({}), status: { containerStatuses: [{ name: 'c', state: { running: {} } }] } };
    expect(logs.read(running, null, null)).toBe('one\ntwo\nthree\n');
    expect(logs.read(running, 'c', '2')).toBe('two\nthree\n');
    expect(() => logs.read(running, 'x', null)).toThrow('container x is not valid for pod p');
    expect(() => logs.read(pod({}), null, null)).toThrow(
      'container "c" in pod "p" is waiting to start: ContainerCreating',
    );
    logs.retain(new Set());
    expect(logs.read(running, null, null)).toBe('');
  });
});
