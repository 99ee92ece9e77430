import { describe, expect, it } from 'vitest';
import { otherLanguageIn } from '../../helpers/other-language.ts';

describe('finding the other language in a message', () => {
  it('finds English prose in a 中文 message, and none in ids, code, command lines and quotes', () => {
    expect(
      otherLanguageIn('R7K2P 已回滚：deleted SecurityGroupPolicy my-namespace/sgops-my-app', 'zh'),
    ).toEqual(['deleted']);
    const clean = [
      'R7K2P 已回滚：已删除 SecurityGroupPolicy my-namespace/sgops-my-app',
      '回复 `retry R7K2P` 或 `回滚 R7K2P`。',
      '   $ tccli vpc DescribeSecurityGroups --region ap-guangzhou',
      '集群事件：「security groups is only support super node, node 10.0.0.1 is not super node」',
      '为集群 cls-sandbox1 命名空间 my-namespace 的应用 my-app 授予 Pod 安全组',
    ].join('\n');
    expect(otherLanguageIn(clean, 'zh')).toEqual([]);
  });

  it('finds 中文 in an English message, except where it is quoted', () => {
    expect(otherLanguageIn('R7K2P rolled back: 已删除 the policy', 'en').length).toBeGreaterThan(0);
    expect(otherLanguageIn('Try: `批准 R7K2P` (read as a Chinese command: 「无法识别」)', 'en')).toEqual([]);
  });
});
