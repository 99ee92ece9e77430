/**
 * A request's state as a 中文 reader is told it, in chat and in the console (which loads this list
 * as a module); English replies keep the state's id, which is what `status` and the CLI's `--json`
 * print and people type back.
 */
export const zhStateNames: Readonly<Record<string, string>> = {
  planning: '规划中',
  planned: '已规划（试运行）',
  awaitingApproval: '等待审批',
  ensurePodSecurityGroup: '准备 Pod 安全组',
  allowDns: '放通 DNS',
  ensurePodGroupRules: '写入 Pod 安全组规则',
  applyPolicy: '应用策略',
  recreatePods: '重建 Pod',
  verifying: '验证 Pod',
  removePolicy: '删除策略',
  removeDnsRules: '删除 DNS 规则',
  removePodGroup: '删除 Pod 安全组',
  rollingBack: '回滚中',
  done: '已完成',
  active: '生效中',
  expiring: '即将到期',
  revoked: '已撤销',
  lapsed: '已失效',
  needsAttention: '需要处理',
  failed: '失败',
  rolledBack: '已回滚',
  denied: '已拒绝',
  expired: '审批超时',
  cancelled: '已取消',
  restoreRules: '恢复规则',
  reapplyPolicy: '恢复策略',
  nothingToRepair: '无需修复',
  // Not a state: the drift watch's reads are audited as this step.
  driftWatch: '漂移检查',
};

/** The 中文 name of a state; its id when it has none (a workflow added later). */
export function zhState(state: string): string {
  return zhStateNames[state] ?? state;
}

/** Whether a state has a 中文 name (a test asks this of every workflow's states). */
export const zhStateNamed = (state: string): boolean => state in zhStateNames;

/** A workflow's name in 中文 (`grant` → 授权); its id when it has none. */
export function zhWorkflow(workflow: string): string {
  return ({ grant: '授权', revoke: '撤销', repair: '修复' } as Record<string, string>)[workflow] ?? workflow;
}
