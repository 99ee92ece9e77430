import type { Locale } from './command.ts';
import { lookupVerb, verbs } from './keywords.ts';
import type { Verb } from './keywords.ts';

interface Entry {
  usage: string;
  about: string;
  examples: string[];
}

const reference: Record<Locale, { title: string; footer: string; entries: Record<Verb, Entry> }> = {
  en: {
    title: 'sgops commands (keywords are case-insensitive; names are used exactly as written):',
    footer: 'Type `help <command>` for one command. 中文命令请输入 `帮助`。',
    entries: {
      grant: {
        usage: 'grant pod SG to app <app> [in <namespace>] [on <cluster-id>]',
        about:
          'Ask for a security group for the pods labelled app=<app>; approvers see the full plan before anything changes.',
        examples: ['grant pod SG to app web in shop on cls-a1b2c3d4'],
      },
      status: {
        usage: 'status request <request-id>',
        about: 'Show where a request is: plan, approvals, steps done, and the pods it reached.',
        examples: ['status request R7K2P', 'status R7K2P'],
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
      help: {
        usage: 'help [command]',
        about: 'Show this reference, or the details of one command.',
        examples: ['help grant'],
      },
    },
  },
  zh: {
    title: 'sgops 命令（关键字不区分大小写；名称按原样使用）：',
    footer: '输入 `帮助 <命令>` 查看单个命令。For English, type `help`.',
    entries: {
      grant: {
        usage: '授权 Pod 安全组 给 应用 <应用> [在 <命名空间>] [于 <集群ID>]',
        about: '为带有 app=<应用> 标签的 Pod 申请安全组；审批人会在任何变更前看到完整计划。',
        examples: ['授权 Pod 安全组 给 应用 web 在 命名空间 shop 集群 cls-a1b2c3d4'],
      },
      status: {
        usage: '状态 [请求] <请求编号>',
        about: '查看请求进度：计划、审批、已完成的步骤以及已生效的 Pod。',
        examples: ['状态 请求 R7K2P', '状态 R7K2P'],
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
      help: {
        usage: '帮助 [命令]',
        about: '显示本命令参考，或单个命令的详细说明。',
        examples: ['帮助 授权'],
      },
    },
  },
};

/**
 * The command reference in English or Chinese. `topic` is a command word in either language
 * (`grant`, `批准`); an unknown topic gives the whole reference.
 */
export function helpText(locale: Locale, topic?: string): string {
  const ref = reference[locale];
  const verb = topic === undefined ? undefined : lookupVerb(topic.trim())?.verb;
  if (verb !== undefined) {
    const entry = ref.entries[verb];
    return [
      entry.usage,
      entry.about,
      ...entry.examples.map((e) => `  ${locale === 'zh' ? '例' : 'e.g.'} ${e}`),
    ].join('\n');
  }
  const lines = verbs.map((v) => `• ${ref.entries[v].usage} — ${ref.entries[v].about}`);
  return [ref.title, ...lines, ref.footer].join('\n');
}
