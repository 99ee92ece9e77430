import { describe, expect, it } from 'vitest';
import { auditPort } from '../../../src/audit/audit-port.ts';
import { createAuditWriteBehind } from '../../../src/audit/audit-write-behind.ts';
import { cloudTargetOf } from '../../../src/audit/cloud-target-of.ts';
import { clusterTargetOf } from '../../../src/audit/cluster-target-of.ts';
import { redactedMark } from '../../../src/audit/redact-secrets.ts';
import { AppError } from '../../../src/errors.ts';
import { createSecretList } from '../../../src/logging/secret-list.ts';
import { cloudActions, type CloudNetwork } from '../../../src/ports/cloud-network.ts';
import { clusterActions, type Cluster } from '../../../src/ports/cluster.ts';
import type { AuditEntry } from '../../../src/store/store.ts';

function fakeSink() {
  const batches: AuditEntry[][] = [];
  return {
    batches,
    get entries() {
      return batches.flat();
    },
    appendAudit(entries: AuditEntry[]) {
      batches.push(entries);
      return Promise.resolve(entries);
    },
  };
}

/** A stand-in cloud that answers only what these tests call. */
function fakeCloud(calls: string[]): CloudNetwork {
  const unexpected = () => Promise.reject(new Error('not used in this test'));
  return {
    describeClusters: unexpected,
    describeAddon: unexpected,
    describeClusterVirtualNodes: unexpected,
    describeSecurityGroups: unexpected,
    describeSecurityGroupReferences: unexpected,
    describeSecurityGroupLimits: unexpected,
    async createSecurityGroup(input) {
      calls.push(`create ${input.name}`);
      return {
        requestId: 'req-create-1',
        group: {
          id: 'sg-pod0001',
          name: input.name,
          description: '',
          projectId: '0',
          tags: input.tags,
          createdTime: '',
        },
      };
    },
    deleteSecurityGroup: unexpected,
    describeSecurityGroupPolicies: unexpected,
    async createSecurityGroupPolicies(input) {
      calls.push(`rules ${input.securityGroupId}`);
      throw new AppError('CLOUD_VERSION_MISMATCH', 'version 3 is stale', {
        details: { requestId: 'req-fail-9' },
      });
    },
    deleteSecurityGroupPolicies: unexpected,
  };
}

const context = {
  requestId: 'R7K2',
  actor: 'worker-1',
  step: 'ensurePodSecurityGroup',
  system: 'tencentcloud' as const,
};

function sequentialIds() {
  let n = 0;
  return () => `call-${++n}`;
}

function ticking(stepMs: number) {
  let t = 1000;
  return () => (t += stepMs);
}

describe('auditPort', () => {
  it('records an intent before the call and an ok outcome with the cloud request id after it', async () => {
    const calls: string[] = [];
    const sink = fakeSink();
    const cloud = auditPort(fakeCloud(calls), cloudActions, sink, context, {
      targetOf: cloudTargetOf,
      newCallId: sequentialIds(),
      now: ticking(25),
    });
    const originalAppend = sink.appendAudit.bind(sink);
    sink.appendAudit = (entries) => {
      calls.push(`audit ${entries[0]!.kind}`);
      return originalAppend(entries);
    };

    const result = await cloud.createSecurityGroup({
      name: 'sgops-shop-cart',
      description: 'd',
      tags: { 'sgops/app': 'cart' },
    });

    expect(result.group.id).toBe('sg-pod0001');
    expect(calls).toEqual(['audit intent', 'create sgops-shop-cart', 'audit outcome']);
    expect(sink.entries).toEqual([
      {
        requestId: 'R7K2',
        actor: 'worker-1',
        system: 'tencentcloud',
        action: 'CreateSecurityGroup',
        callId: 'call-1',
        kind: 'intent',
        target: 'sgops-shop-cart',
        outcome: null,
        durationMs: null,
        cloudRequestId: null,
        details: {
          step: 'ensurePodSecurityGroup',
          method: 'createSecurityGroup',
          args: [{ name: 'sgops-shop-cart', description: 'd', tags: { 'sgops/app': 'cart' } }],
        },
      },
      {
        requestId: 'R7K2',
        actor: 'worker-1',
        system: 'tencentcloud',
        action: 'CreateSecurityGroup',
        callId: 'call-1',
        kind: 'outcome',
        target: 'sgops-shop-cart',
        outcome: 'ok',
        durationMs: 25,
        cloudRequestId: 'req-create-1',
        details: { step: 'ensurePodSecurityGroup', method: 'createSecurityGroup' },
      },
    ]);
  });

  it('records a failed call with its error code and the request id from the error, then rethrows it', async () => {
    const sink = fakeSink();
    const cloud = auditPort(fakeCloud([]), cloudActions, sink, context, {
      targetOf: cloudTargetOf,
      newCallId: sequentialIds(),
    });
    const rule = {
      protocol: 'TCP' as const,
      port: '53',
      peer: { securityGroupId: 'sg-pod0001' },
      action: 'ACCEPT' as const,
    };

    const failure = cloud.createSecurityGroupPolicies({
      securityGroupId: 'sg-cluster1',
      direction: 'ingress',
      rules: [rule],
      version: '3',
    });

    await expect(failure).rejects.toMatchObject({ code: 'CLOUD_VERSION_MISMATCH' });
    const [intent, outcome] = sink.entries;
    expect(intent).toMatchObject({
      kind: 'intent',
      action: 'CreateSecurityGroupPolicies',
      target: 'sg-cluster1/ingress',
    });
    expect(outcome).toMatchObject({
      kind: 'outcome',
      callId: intent!.callId,
      outcome: 'CLOUD_VERSION_MISMATCH',
      cloudRequestId: 'req-fail-9',
      details: { error: { code: 'CLOUD_VERSION_MISMATCH', message: 'version 3 is stale', retryable: true } },
    });
    expect(outcome!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records a non-AppError failure as INTERNAL and rethrows the original error', async () => {
    const sink = fakeSink();
    const original = new TypeError('socket hang up');
    const port = { ping: () => Promise.reject(original) };
    const audited = auditPort(port, { ping: 'Ping' }, sink, { ...context, step: undefined });
    await expect(audited.ping()).rejects.toBe(original);
    expect(sink.entries.map((e) => [e.kind, e.outcome])).toEqual([
      ['intent', null],
      ['outcome', 'INTERNAL'],
    ]);
    expect(sink.entries[0]!.details).toEqual({ method: 'ping', args: [] });
  });

  it('redacts secret keys and configured secret values from the recorded arguments and errors', async () => {
    const sink = fakeSink();
    const port = {
      login: (input: { user: string; password: string; note: string }) =>
        Promise.reject(new AppError('CLOUD_AUTH', `bad key AKIDverysecret for ${input.user}`)),
    };
    const audited = auditPort(port, { login: 'Login' }, sink, context, { secrets: ['AKIDverysecret'] });
    await expect(
      audited.login({ user: 'u', password: 'hunter2', note: 'uses AKIDverysecret' }),
    ).rejects.toThrow();
    const text = JSON.stringify(sink.entries);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('AKIDverysecret');
    expect(sink.entries[0]!.details['args']).toEqual([
      { user: 'u', password: redactedMark, note: `uses ${redactedMark}` },
    ]);
    expect(sink.entries[1]!.details['error']).toMatchObject({ message: `bad key ${redactedMark} for u` });
  });

  it('masks a secret learned after the port was made, read from a list that grows', async () => {
    const sink = fakeSink();
    const secrets = createSecretList([]);
    const port = { act: (note: string) => Promise.resolve({ requestId: note.length > 0 ? 'r' : '' }) };
    const audited = auditPort(port, { act: 'Act' }, sink, context, { secrets: () => secrets.values() });
    await audited.act('with AKIDlearnedLater');
    secrets.learn(['AKIDlearnedLater']);
    await audited.act('with AKIDlearnedLater');
    const intents = sink.entries.filter((e) => e.kind === 'intent').map((e) => e.details['args']);
    expect(intents).toEqual([['with AKIDlearnedLater'], [`with ${redactedMark}`]]);
  });

  it('does not make the call when its intent cannot be recorded', async () => {
    let called = false;
    const port = { act: () => ((called = true), Promise.resolve({ requestId: 'r' })) };
    const sink = { appendAudit: () => Promise.reject(new Error('database down')) };
    await expect(auditPort(port, { act: 'Act' }, sink, context).act()).rejects.toThrow('database down');
    expect(called).toBe(false);
  });

  describe('with outcomes written behind', () => {
    const numbered = (calls: string[]) => ({
      act: (n: number) => (calls.push(`act ${n}`), Promise.resolve({ requestId: `r-${n}` })),
    });

    it('writes each outcome in one batch with the next intent, and the last one on flush', async () => {
      const calls: string[] = [];
      const sink = fakeSink();
      const writeBehind = createAuditWriteBehind(sink);
      const port = auditPort(numbered(calls), { act: 'Act' }, sink, context, { writeBehind });
      await port.act(1);
      await port.act(2);
      expect(sink.batches.map((b) => b.map((e) => e.kind))).toEqual([['intent'], ['outcome', 'intent']]);
      expect(sink.batches[1]![0]!.callId).toBe(sink.batches[0]![0]!.callId);
      await writeBehind.flush();
      expect(sink.batches.map((b) => b.map((e) => e.kind))).toEqual([
        ['intent'],
        ['outcome', 'intent'],
        ['outcome'],
      ]);
      await writeBehind.flush();
      expect(sink.batches).toHaveLength(3);
      expect(calls).toEqual(['act 1', 'act 2']);
    });

    it('makes no call whose batch could not be written, and keeps the earlier outcome for the next try', async () => {
      const calls: string[] = [];
      const sink = fakeSink();
      const writeBehind = createAuditWriteBehind(sink);
      const port = auditPort(numbered(calls), { act: 'Act' }, sink, context, { writeBehind });
      await port.act(1);
      const working = sink.appendAudit.bind(sink);
      sink.appendAudit = () => Promise.reject(new Error('database down'));
      await expect(port.act(2)).rejects.toThrow('database down');
      expect(calls).toEqual(['act 1']);
      sink.appendAudit = working;
      await writeBehind.flush();
      expect(sink.entries.map((e) => [e.kind, e.outcome])).toEqual([
        ['intent', null],
        ['outcome', 'ok'],
      ]);
    });

    it('holds a failed call’s outcome too, with its error code', async () => {
      const sink = fakeSink();
      const writeBehind = createAuditWriteBehind(sink);
      const failing = { act: () => Promise.reject(new AppError('CLOUD_THROTTLED', 'slow down')) };
      const port = auditPort(failing, { act: 'Act' }, sink, context, { writeBehind });
      await expect(port.act()).rejects.toThrow('slow down');
      expect(sink.entries.map((e) => e.kind)).toEqual(['intent']);
      await writeBehind.flush();
      expect(sink.entries.map((e) => e.outcome)).toEqual([null, 'CLOUD_THROTTLED']);
    });
  });

  it('keeps the port’s type, its other members and `this`, and gives every call its own callId', async () => {
    class Counter {
      count = 0;
      label = 'counter';
      async bump(by: number): Promise<{ requestId: string; count: number }> {
        this.count += by;
        return { requestId: `req-${this.count}`, count: this.count };
      }
    }
    const sink = fakeSink();
    const counter: Counter = auditPort(
      new Counter(),
      { bump: 'Bump', count: 'n/a', label: 'n/a' },
      sink,
      context,
    );
    await counter.bump(2);
    await counter.bump(3);
    expect(counter.count).toBe(5);
    expect(counter.label).toBe('counter');
    expect(sink.entries.filter((e) => e.kind === 'outcome').map((e) => e.cloudRequestId)).toEqual([
      'req-2',
      'req-5',
    ]);
    const callIds = sink.entries.map((e) => e.callId);
    expect(callIds[0]).toBe(callIds[1]);
    expect(callIds[2]).toBe(callIds[3]);
    expect(callIds[0]).not.toBe(callIds[2]);
  });

  it('names Kubernetes targets as namespace/name or namespace?selector', async () => {
    const sink = fakeSink();
    const cluster = {
      listPods: () => Promise.resolve([]),
      getWorkload: () => Promise.resolve(null),
      createSecurityGroupPolicy: (p: { name: string; namespace: string }) => Promise.resolve(p),
    } as unknown as Cluster;
    const audited = auditPort(
      cluster,
      clusterActions,
      sink,
      { ...context, system: 'kubernetes' },
      { targetOf: clusterTargetOf },
    );
    await audited.listPods('shop', 'app=cart');
    await audited.getWorkload('shop', { kind: 'StatefulSet', name: 'cart' });
    await audited.createSecurityGroupPolicy({
      name: 'sgops-cart',
      namespace: 'shop',
      groupIds: ['sg-pod0001'],
    });
    expect(sink.entries.filter((e) => e.kind === 'intent').map((e) => [e.action, e.target])).toEqual([
      ['list pods', 'shop?app=cart'],
      ['get statefulsets', 'shop/StatefulSet/cart'],
      ['create securitygrouppolicies', 'shop/sgops-cart'],
    ]);
    expect(sink.entries.every((e) => e.system === 'kubernetes')).toBe(true);
  });
});
