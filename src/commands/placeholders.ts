import type { Locale } from './command.ts';

export type PlaceholderName =
  | 'app'
  | 'serviceAccount'
  | 'namespace'
  | 'clusterId'
  | 'requestId'
  | 'reason'
  | 'securityGroupIds'
  | 'groupName'
  | 'protocol'
  | 'ports'
  | 'peer'
  | 'duration'
  | 'comment'
  | 'pod'
  | 'target'
  | 'securityGroupId'
  | 'ip'
  | 'cidr'
  | 'port';

/** Stand-ins used in suggestions where a value is missing or unusable; they never parse as names. */
export const placeholders: Record<Locale, Record<PlaceholderName, string>> = {
  en: {
    app: '<app>',
    serviceAccount: '<service-account>',
    namespace: '<namespace>',
    clusterId: '<cluster-id>',
    requestId: '<request-id>',
    reason: '<reason>',
    securityGroupIds: '<sg-id,…>',
    groupName: '<group-name>',
    protocol: '<protocol>',
    ports: '<ports>',
    peer: '<cidr-or-sg-id>',
    duration: '<duration>',
    comment: '<comment>',
    pod: '<pod>',
    target: '<target>',
    securityGroupId: '<sg-id>',
    ip: '<ip>',
    cidr: '<cidr>',
    port: '<port>',
  },
  zh: {
    app: '<应用>',
    serviceAccount: '<服务账号>',
    namespace: '<命名空间>',
    clusterId: '<集群ID>',
    requestId: '<请求编号>',
    reason: '<原因>',
    securityGroupIds: '<安全组ID,…>',
    groupName: '<组名>',
    protocol: '<协议>',
    ports: '<端口>',
    peer: '<网段或安全组ID>',
    duration: '<时长>',
    comment: '<备注>',
    pod: '<Pod>',
    target: '<目标>',
    securityGroupId: '<安全组ID>',
    ip: '<IP>',
    cidr: '<网段>',
    port: '<端口>',
  },
};
