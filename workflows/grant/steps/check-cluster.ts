/**
 * The seed's restrictions, checked before anything is written: Kubernetes ≥ 1.20, the
 * SecurityGroupPolicy add-on healthy, not dual-stack, super nodes present. Every failing check
 * names itself and its fix; all of them are reported at once.
 */
import { joinWords, words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';
import { stepError } from '../../shared/step-error.ts';
import type { ClusterInfo } from '../../../src/ports/cloud-network.ts';
import { findCluster } from '../../shared/find-cluster.ts';
import type { StepPorts } from '../../shared/step-ports.ts';

const atLeast = (version: string, major: number, minor: number) => {
  const [ma = 0, mi = 0] = version
    .replace(/^v/, '')
    .split('.')
    .map((p) => Number.parseInt(p, 10));
  return ma > major || (ma === major && mi >= minor);
};

export async function checkCluster(clusterId: string, ports: StepPorts): Promise<ClusterInfo> {
  const { cloud, settings } = ports;
  const cluster = await findCluster(clusterId, ports);
  const problems: Words[] = [];
  const fixes: Words[] = [];
  if (!atLeast(cluster.version, 1, 20)) {
    problems.push(
      words(
        `Kubernetes ${cluster.version} is older than 1.20`,
        `Kubernetes 版本 ${cluster.version} 低于 1.20`,
      ),
    );
    fixes.push(
      words(
        'upgrade the cluster to 1.20 or later (TKE console → Cluster → Basic info → Upgrade)',
        '将集群升级到 1.20 或更高版本（TKE 控制台 → 集群 → 基本信息 → 升级）',
      ),
    );
  }
  if (cluster.isDualStack) {
    problems.push(
      words(
        'the cluster is dual-stack, which pod security groups do not support',
        '集群为双栈集群，Pod 安全组不支持双栈',
      ),
    );
    fixes.push(words('use a single-stack cluster for these pods', '请为这些 Pod 使用单栈集群'));
  }
  const { addons } = await cloud.describeAddon(clusterId, settings.addonName);
  const addon = addons.find((a) => a.name === settings.addonName);
  if (!addon) {
    problems.push(
      words(`the ${settings.addonName} add-on is not installed`, `未安装 ${settings.addonName} 组件`),
    );
    fixes.push(
      words(
        `install it: TKE console → ${clusterId} → Add-on management → Create → SecurityGroupPolicy`,
        `安装该组件：TKE 控制台 → ${clusterId} → 组件管理 → 新建 → SecurityGroupPolicy`,
      ),
    );
  } else if (addon.phase !== 'Succeeded') {
    const why = addon.reason ? ` (${addon.reason})` : '';
    problems.push(
      words(
        `the ${settings.addonName} add-on is ${addon.phase}${why}`,
        `${settings.addonName} 组件状态为 ${addon.phase}${why}`,
      ),
    );
    fixes.push(
      words(
        `wait for or repair it: TKE console → ${clusterId} → Add-on management`,
        `等待其就绪或修复：TKE 控制台 → ${clusterId} → 组件管理`,
      ),
    );
  }
  const { nodes } = await cloud.describeClusterVirtualNodes(clusterId);
  if (nodes.length === 0) {
    problems.push(
      words(
        'the cluster has no super nodes, and only pods on super nodes get security groups',
        '集群没有超级节点，而只有超级节点上的 Pod 能获得安全组',
      ),
    );
    fixes.push(
      words(
        `add a super node pool: TKE console → ${clusterId} → Node management → Super node → Create`,
        `添加超级节点池：TKE 控制台 → ${clusterId} → 节点管理 → 超级节点 → 新建`,
      ),
    );
  }
  if (problems.length > 0) {
    const problem = joinWords(problems, '; ');
    const fix = joinWords(fixes, '; ');
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `Cluster ${clusterId} cannot use pod security groups: ${problem.en}.`,
        `集群 ${clusterId} 无法使用 Pod 安全组：${joinWords(problems, '；').zh}。`,
      ),
      {
        hint: words(`To fix: ${fix.en}.`, `处理方法：${joinWords(fixes, '；').zh}。`),
        details: { problems: problems.map((p) => p.en) },
      },
    );
  }
  return cluster;
}
