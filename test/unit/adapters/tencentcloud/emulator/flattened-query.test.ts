import { describe, expect, it } from 'vitest';
import { unflattenQuery } from '../../../../../adapters/tencentcloud/emulator/flattened-query.ts';

describe('a GET query string unflattened into the nested request a JSON body carries', () => {
  it('turns numeric segments into list items and other segments into object keys', () => {
    const query =
      'SecurityGroupId=sg-1&SecurityGroupPolicySet.Ingress.0.Protocol=TCP' +
      '&SecurityGroupPolicySet.Ingress.0.Port=80%2C443&SecurityGroupPolicySet.Ingress.1.Protocol=UDP' +
      '&Filters.0.Values.1=b&Filters.0.Values.0=a&Limit=10';
    expect(unflattenQuery(query)).toEqual({
      SecurityGroupId: 'sg-1',
      SecurityGroupPolicySet: { Ingress: [{ Protocol: 'TCP', Port: '80,443' }, { Protocol: 'UDP' }] },
      Filters: [{ Values: ['a', 'b'] }],
      Limit: '10',
    });
  });

  it('refuses a parameter given twice or used both as a value and as a container', () => {
    expect(() => unflattenQuery('Limit=1&Limit=2')).toThrow(/Limit/);
    expect(() => unflattenQuery('Filters=x&Filters.0.Name=y')).toThrow(/Filters/);
    expect(() => unflattenQuery('Filters.0=x&Filters.Name=y')).toThrow(/Filters/);
  });
});
