import { describe, expect, it } from 'vitest';
import { signOffName, touchWords } from '../../../src/chat/sign-off-words.ts';

describe('sign-offs in people’s words', () => {
  it('names each set in English and 中文', () => {
    const owners = { key: 'owners:name=orders-db', owners: ['group:dba'] };
    expect(signOffName(owners, 'my-namespace', 'en')).toBe('owners of orders-db (group:dba)');
    expect(signOffName(owners, 'my-namespace', 'zh')).toBe('orders-db 的所有者（group:dba）');
    expect(signOffName({ key: 'namespace' }, 'my-namespace', 'zh')).toBe('my-namespace 的审批人');
    expect(signOffName({ key: 'namespace:cls-a1b2c3d4/payments' }, 'my-namespace', 'en')).toBe(
      'approvers of payments on cls-a1b2c3d4',
    );
  });

  it('says what a request does to another team’s group with no English left in the 中文', () => {
    const ingress = { kind: 'ingress' as const, ports: [{ protocol: 'TCP', port: '3306' }], from: null };
    expect(touchWords(ingress, 'en')).toBe('ingress TCP 3306 from the pod group, ahead of any DROP');
    const zh = touchWords(ingress, 'zh');
    expect(zh).toBe('入站 TCP 3306，来源 Pod 安全组，置于所有 DROP 规则之前');
    for (const touch of [{ kind: 'attached' as const }, { kind: 'rulesWhereMissing' as const, asked: true }])
      expect(touchWords(touch, 'zh')).not.toMatch(/\b(the|pods|rules|added)\b/);
  });
});
