import type { Locale } from './command.ts';
import type { Verb } from './keywords.ts';

export interface HelpEntry {
  usage: string;
  about: string;
  /** Every example must parse (a test checks it). */
  examples: string[];
}

export interface HelpReference {
  title: string;
  footer: string;
  entries: Record<Verb, HelpEntry>;
}

const grantClausesEn =
  '[in <namespace>] [on <cluster-id>] [using <sg-id>[,<sg-id>…] | as group <name>] [allow <tcp|udp|icmp|all>[:<ports>] from|to <cidr|sg-id>]… [for <duration>] [because <reason>]';
const grantClausesZh =
  '[在 <命名空间>] [于 <集群ID>] [使用 <安全组ID>[,<安全组ID>…] | 作为 组 <组名>] [允许 <tcp|udp|icmp|all>[:<端口>] 来自|到 <网段|安全组ID>]… [期限 <时长>] [原因 <原因>]';

/** The command reference, one entry per command, in both languages. */
export const helpReference: Record<Locale, HelpReference> = {
  en: {
    title: 'sgops commands (keywords are case-insensitive; names are used exactly as written):',
    footer: 'Type `help <command>` for one command. 中文命令请输入 `帮助`。',
    entries: {
      grant: {
        usage: `grant pod SG to app <app> | serviceaccount <service-account> ${grantClausesEn}`,
        about:
          'Ask for a security group for the pods labelled app=<app>, or for the pods running as ServiceAccount <service-account> (sgops labels the account sgops/serviceaccount=<name> and the policy selects that label); approvers see the full plan before anything changes. `as group <name>` names the pod group, and grants naming the same group share it. `using <sg-id>,…` gives the pods existing groups instead: sgops adds only the DNS and kubelet health-check rules they lack and puts `allow` rules on the first group named; rollback and revoke remove only what sgops added. `for <duration>` (30m, 8h, 2d) makes it time-bound: you are warned before it ends, then sgops revokes it itself. Ports are 3306, 80,443 or 8000-8010.',
        examples: [
          'grant pod SG to app web in shop on cls-a1b2c3d4',
          'grant pod SG to app web in shop allow tcp:3306 to sg-db123456 because release 42',
          'grant pod SG to serviceaccount api in shop',
          'grant pod SG to app web in shop using sg-a1b2c3d4 allow tcp:443 from 10.0.0.0/8',
          'grant pod SG to app web in shop as group web-pods',
        ],
      },
      plan: {
        usage: `plan pod SG to app <app> | serviceaccount <service-account> ${grantClausesEn}`,
        about: 'Show what a grant would do, step by step, without requesting or changing anything.',
        examples: ['plan pod SG to app web in shop allow tcp:443 to 10.0.0.0/8'],
      },
      revoke: {
        usage:
          'revoke pod SG from app <app> | serviceaccount <service-account> [in <namespace>] [on <cluster-id>] [because <reason>]',
        about:
          'Take a granted security group away from the pods again; no approval is needed, and whatever another policy or pod still uses is kept.',
        examples: [
          'revoke pod SG from app web in shop',
          'revoke pod SG from app web in shop because app retired',
        ],
      },
      status: {
        usage:
          'status [request <request-id> | <request-id> | app <app> [in <namespace>] | policies [in <namespace>]]',
        about:
          'Show where a request is, what an app has been granted, or the SecurityGroupPolicies in a namespace (without one: in every namespace you may request or approve for), with their groups, whether sgops made them, and the pods they select on super nodes and elsewhere; `status` alone lists your own requests.',
        examples: [
          'status request R7K2P',
          'status R7K2P',
          'status app web in shop',
          'status policies in shop',
          'status',
        ],
      },
      requests: {
        usage: 'requests [mine | pending | all]',
        about: 'List requests: your own (the default), those waiting for approval, or all recent ones.',
        examples: ['requests', 'requests pending', 'requests all'],
      },
      approve: {
        usage: 'approve <request-id> [comment]',
        about: 'Approve a request you may approve (never your own, unless the policy allows it).',
        examples: ['approve R7K2P looks good'],
      },
      deny: {
        usage: 'deny <request-id> <reason>',
        about: 'Refuse a request; the reason is required and is sent to the requester.',
        examples: ['deny R7K2P please scope it to the shop namespace'],
      },
      cancel: {
        usage: 'cancel <request-id>',
        about: 'Withdraw your request before it starts changing things.',
        examples: ['cancel R7K2P'],
      },
      retry: {
        usage: 'retry <request-id>',
        about: 'Run a failed request again from the step that failed; finished steps are not repeated.',
        examples: ['retry R7K2P'],
      },
      rollback: {
        usage: 'rollback <request-id>',
        about: 'Undo what a request changed, in reverse order.',
        examples: ['rollback R7K2P'],
      },
      repair: {
        usage: 'repair <request-id>',
        about:
          'Put back what a grant in force made that has drifted (rules deleted by hand, the policy gone, pods without the group). The plan shows exactly what will be written; rules added outside sgops are listed and left in place. Runs after the namespace approvers sign off.',
        examples: ['repair R7K2P'],
      },
      audit: {
        usage: 'audit <request-id>',
        about: 'Show every decision and every cloud and Kubernetes call made for a request.',
        examples: ['audit R7K2P'],
      },
      explain: {
        usage:
          'explain app <app> | pod <pod> [in <namespace>] [on <cluster-id>] (to <sg-id> | app <app> [in <namespace>] | pod <pod> [in <namespace>] | <ip> | <cidr> [tcp:<port> | udp:<port> | icmp]) | dns',
        about:
          "Say why a connection from the pods of an app (each pod on its own), or from one pod, is allowed or not: the pod's groups in binding order and the egress rule that decides, then the target's groups and the ingress rule that decides, each named; for a denial, the smallest `grant … allow` line that would allow it. `dns` checks name resolution through the cluster group. Without a protocol and port, sgops says what it assumed. Changes nothing; answers for the namespaces you may see.",
        examples: [
          'explain app web in shop to sg-db123456 tcp:3306',
          'explain pod web-7d9f8-abcde in shop to app orders in shop tcp:8080',
          'explain app web in shop to 10.0.0.0/16 udp:53',
          'explain app web in shop dns',
        ],
      },
      help: {
        usage: 'help [command]',
        about: 'Show this reference, or the details of one command.',
        examples: ['help grant', 'help'],
      },
    },
  },
  zh: {
    title: 'sgops 命令（关键字不区分大小写；名称按原样使用）：',
    footer: '输入 `帮助 <命令>` 查看单个命令。For English, type `help`.',
    entries: {
      grant: {
        usage: `授权 Pod 安全组 给 应用 <应用> | 服务账号 <服务账号> ${grantClausesZh}`,
        about:
          '为带有 app=<应用> 标签的 Pod，或以服务账号 <服务账号> 运行的 Pod 申请安全组（sgops 给该服务账号加上标签 sgops/serviceaccount=<名称>，策略按此标签选择）；审批人会在任何变更前看到完整计划。`作为 组 <组名>` 为 Pod 安全组命名，指定同一组名的授权共用该组。`使用 <安全组ID>,…` 则直接使用已有安全组：sgops 只补上缺少的 DNS 与 kubelet 健康检查规则，`允许` 规则加在第一个安全组上；回滚和撤销只移除 sgops 添加的内容。`期限 <时长>`（30m、8小时、2d）使授权限时：到期前会提醒您，到期后 sgops 自动撤销。端口可写 3306、80,443 或 8000-8010。',
        examples: [
          '授权 Pod 安全组 给 应用 web 在 shop 于 cls-a1b2c3d4',
          '授权 Pod 安全组 给 应用 web 在 shop 允许 tcp:3306 到 sg-db123456 原因 release 42',
          '授权 Pod 安全组 给 服务账号 api 在 shop',
          '授权 Pod 安全组 给 应用 web 在 shop 使用 sg-a1b2c3d4',
          '授权 Pod 安全组 给 应用 web 在 shop 作为 组 web-pods',
        ],
      },
      plan: {
        usage: `计划 Pod 安全组 给 应用 <应用> | 服务账号 <服务账号> ${grantClausesZh}`,
        about: '逐步展示授权将做什么，但不提交请求，也不做任何变更。',
        examples: ['计划 Pod 安全组 给 应用 web 在 shop 允许 tcp:443 到 10.0.0.0/8'],
      },
      revoke: {
        usage:
          '撤销 Pod 安全组 从 应用 <应用> | 服务账号 <服务账号> [在 <命名空间>] [于 <集群ID>] [原因 <原因>]',
        about: '从 Pod 上撤下已授权的安全组；无需审批，其他策略或 Pod 仍在使用的部分会保留。',
        examples: [
          '撤销 Pod 安全组 从 应用 web 在 shop',
          '撤销 Pod 安全组 从 应用 web 在 shop 原因 应用已下线',
        ],
      },
      status: {
        usage: '状态 [请求 <请求编号> | <请求编号> | 应用 <应用> [在 <命名空间>] | 策略 [在 <命名空间>]]',
        about:
          '查看请求进度、某应用已获授权的安全组，或某命名空间中的 SecurityGroupPolicy（不指定命名空间时为您可申请或审批的所有命名空间）及其安全组、是否由 sgops 创建、在超级节点和其他节点上选中的 Pod 数；只输入 `状态` 则列出您自己的请求。',
        examples: ['状态 请求 R7K2P', '状态 R7K2P', '状态 应用 web 在 shop', '状态 策略 在 shop', '状态'],
      },
      requests: {
        usage: '请求列表 [我的 | 待审批 | 全部]',
        about: '列出请求：您自己的（默认）、等待审批的，或最近的全部请求。',
        examples: ['请求列表', '请求列表 待审批', '请求列表 全部'],
      },
      approve: {
        usage: '批准 <请求编号> [备注]',
        about: '批准您有权审批的请求（除非策略允许，否则不能批准自己的请求）。',
        examples: ['批准 R7K2P 没问题'],
      },
      deny: {
        usage: '拒绝 <请求编号> <原因>',
        about: '拒绝请求；原因必填，并会发送给申请人。',
        examples: ['拒绝 R7K2P 请限定在 shop 命名空间'],
      },
      cancel: {
        usage: '取消 <请求编号>',
        about: '在开始变更之前撤回您的请求。',
        examples: ['取消 R7K2P'],
      },
      retry: {
        usage: '重试 <请求编号>',
        about: '从失败的步骤重新执行请求；已完成的步骤不会重复。',
        examples: ['重试 R7K2P'],
      },
      rollback: {
        usage: '回滚 <请求编号>',
        about: '按相反顺序撤销请求所做的变更。',
        examples: ['回滚 R7K2P'],
      },
      repair: {
        usage: '修复 <请求编号>',
        about:
          '把生效中的授权已偏离的部分恢复原样（被手工删除的规则、被删除的策略、没有安全组的 Pod）。计划会列出将写入的每一项；sgops 之外添加的规则只列出、保留不动。命名空间审批人批准后执行。',
        examples: ['修复 R7K2P'],
      },
      audit: {
        usage: '审计 <请求编号>',
        about: '显示该请求的每个决定，以及每一次云 API 和 Kubernetes 调用。',
        examples: ['审计 R7K2P'],
      },
      explain: {
        usage:
          '解释 应用 <应用> | Pod <Pod> [在 <命名空间>] [于 <集群ID>] (到 <安全组ID> | 应用 <应用> [在 <命名空间>] | Pod <Pod> [在 <命名空间>] | <IP> | <网段> [tcp:<端口> | udp:<端口> | icmp]) | 域名解析',
        about:
          '说明某应用的 Pod（逐个 Pod）或某个 Pod 发出的连接为何被允许或拒绝：Pod 按绑定顺序的安全组与起决定作用的出站规则，再到目标的安全组与起决定作用的入站规则，逐一列出；被拒绝时给出能放通的最小 `授权 … 允许` 命令。`域名解析` 检查经集群安全组的域名解析。未写协议和端口时，sgops 会说明它的假设。不做任何变更；只回答您可查看的命名空间。',
        examples: [
          '解释 应用 web 在 shop 到 sg-db123456 tcp:3306',
          '解释 Pod web-7d9f8-abcde 在 shop 到 应用 orders 在 shop tcp:8080',
          '解释 应用 web 在 shop 到 10.0.0.0/16 udp:53',
          '解释 应用 web 在 shop 域名解析',
        ],
      },
      help: {
        usage: '帮助 [命令]',
        about: '显示本命令参考，或单个命令的详细说明。',
        examples: ['帮助 授权', '帮助'],
      },
    },
  },
};
