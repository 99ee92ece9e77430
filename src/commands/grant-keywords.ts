type Phrases = readonly (readonly string[])[];

/**
 * The words of `grant|plan pod SG to app <app> …` and `revoke pod SG from app <app> …`, in
 * English and Chinese. Multi-word phrases are matched token by token; the longest wins.
 */
export const grantHead = {
  pod: [['pod'], ['pods']] as Phrases,
  sg: [
    ['sg'],
    ['sgs'],
    ['security', 'group'],
    ['security', 'groups'],
    ['securitygroup'],
    ['security-group'],
    ['安全组'],
  ] as Phrases,
  /** `to app` for grant and plan. */
  to: [['to'], ['for'], ['给'], ['为']] as Phrases,
  /** `from app` for revoke. */
  from: [['from'], ['for'], ['of'], ['从'], ['为']] as Phrases,
};

export type TargetKind = 'app' | 'serviceAccount';

export const targetWords: Record<TargetKind, Phrases> = {
  app: [['app'], ['application'], ['应用']],
  serviceAccount: [
    ['serviceaccount'],
    ['service-account'],
    ['service', 'account'],
    ['sa'],
    ['服务账号'],
    ['服务账户'],
  ],
};

export type GrantClause = 'namespace' | 'clusterId' | 'using' | 'asGroup' | 'allow' | 'duration' | 'reason';

/**
 * Optional clauses after the target, in any order; the longest intro wins (`in cluster` over
 * `in`). A name runs up to the next word that starts one of these.
 */
export const grantClauses: readonly { clause: GrantClause; intros: Phrases }[] = [
  {
    clause: 'clusterId',
    intros: [
      ['in', 'cluster'],
      ['on', 'cluster'],
      ['on'],
      ['cluster'],
      ['在', '集群'],
      ['于', '集群'],
      ['于'],
      ['集群'],
    ],
  },
  {
    clause: 'namespace',
    intros: [['in', 'namespace'], ['in'], ['namespace'], ['在', '命名空间'], ['在'], ['命名空间']],
  },
  { clause: 'using', intros: [['using'], ['use'], ['使用']] },
  {
    clause: 'asGroup',
    intros: [
      ['as', 'group'],
      ['as', 'security', 'group'],
      ['as', 'sg'],
      ['作为', '组'],
      ['作为', '安全组'],
    ],
  },
  { clause: 'allow', intros: [['allow'], ['允许']] },
  { clause: 'duration', intros: [['for'], ['duration'], ['期限'], ['时长'], ['有效期']] },
  { clause: 'reason', intros: [['because'], ['reason'], ['因为'], ['原因']] },
];

/** The clauses each verb takes: revoke only says where and why. */
export const clausesOf: Record<'grant' | 'plan' | 'revoke', readonly GrantClause[]> = {
  grant: ['namespace', 'clusterId', 'using', 'asGroup', 'allow', 'duration', 'reason'],
  plan: ['namespace', 'clusterId', 'using', 'asGroup', 'allow', 'duration', 'reason'],
  revoke: ['namespace', 'clusterId', 'reason'],
};

/** `allow tcp:3306 from|to …`: `from` is ingress to the pods, `to` is egress (or the peer's ingress). */
export const directionWords: Record<'from' | 'to', Phrases> = {
  from: [['from'], ['来自'], ['从']],
  to: [['to'], ['到']],
};

/** Every phrase list above, for the tokenizer's Chinese keyword table. */
export function grantWordLists(): Phrases[] {
  return [
    ...Object.values(grantHead),
    ...Object.values(targetWords),
    ...grantClauses.map((c) => c.intros),
    ...Object.values(directionWords),
  ];
}
