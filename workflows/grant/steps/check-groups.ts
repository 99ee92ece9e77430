/**
 * What `using`, `as group` and `serviceaccount` need before anything is written, checked while
 * planning so that a grant never stops halfway: the named groups exist, the group name is free
 * for sgops (or already sgops' shared group), the service account exists.
 */
import { namedGroupProblem, reservedGroupNamePrefix } from '../../../src/domain/named-group.ts';
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { ServiceAccountInfo } from '../../../src/ports/cluster.ts';
import type { GrantSpec } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { readGroup } from '../../shared/groups/read-group.ts';
import { stepError } from '../../shared/step-error.ts';
import { words } from '../../../src/domain/words.ts';
import { findPodGroup, groupsNamedLike } from '../../shared/groups/find-pod-group.ts';
import { tccliLine } from '../../shared/rules/tccli-lines.ts';

/** Each group named in `using`, read one by one so that a missing one is named. */
export async function checkExistingGroups(ports: StepPorts, ids: string[]): Promise<SecurityGroup[]> {
  const found = await Promise.all(ids.map((id) => readGroup(ports, id)));
  const missing = ids.filter((_, i) => found[i] === null);
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `The security group${missing.length > 1 ? 's' : ''} named in \`using\` ${missing.length > 1 ? 'do' : 'does'} not exist in ${ports.settings.region}: ${list}.`,
        `\`使用\` 指定的安全组在 ${ports.settings.region} 不存在：${list}。`,
      ),
      {
        hint: words(
          `Check the id (${tccliLine(ports.settings.region, 'vpc', 'DescribeSecurityGroups', { SecurityGroupIds: [missing[0]!] })}) and ask again.`,
          '请核对安全组 ID 后重新申请。',
        ),
        details: { missing },
      },
    );
  }
  return found as SecurityGroup[];
}

/**
 * `as group <name>`: sgops' shared group of that name in this namespace (null: it will be made).
 * A name sgops derives itself, or one a group outside sgops (or of another namespace) already
 * carries, is refused: two groups with one name would be a trap for everyone reading the console.
 */
export async function checkNamedGroup(spec: GrantSpec, ports: StepPorts): Promise<SecurityGroup | null> {
  const name = spec.podGroupName;
  const problem = namedGroupProblem(name);
  if (problem !== null) {
    throw stepError(
      'PRECONDITION_FAILED',
      problem === 'reserved'
        ? words(
            `The group name ${name} starts with "${reservedGroupNamePrefix}", which sgops keeps for the groups it names itself.`,
            `组名 ${name} 以 “${reservedGroupNamePrefix}” 开头，该前缀保留给 sgops 自动命名的安全组。`,
          )
        : words(
            `The group name ${name} is not 1 to 60 letters, digits, '.', '_' or '-'.`,
            `组名 ${name} 必须是 1 到 60 个字母、数字、“.”、“_”或“-”。`,
          ),
      { hint: words('Choose another name after `as group`.', '请在 `作为 组` 后换一个名称。') },
    );
  }
  const ours = await findPodGroup(spec, ports);
  if (ours) return ours;
  const others = await groupsNamedLike(spec, ports);
  if (others.length > 0) {
    const ids = others.map((g) => g.id).join(', ');
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `A security group named ${name} already exists (${ids}) and is not sgops' shared group for ${spec.namespace} on ${spec.clusterId}.`,
        `已存在名为 ${name} 的安全组（${ids}），它不是 sgops 在 ${spec.clusterId} 的 ${spec.namespace} 中共享的 Pod 安全组。`,
      ),
      {
        hint: words(
          `Choose another name, or give the pods that group as it is with \`using ${others[0]!.id}\`.`,
          `请换一个名称，或用 \`使用 ${others[0]!.id}\` 直接使用该安全组。`,
        ),
        details: { groupIds: others.map((g) => g.id) },
      },
    );
  }
  return null;
}

/** The service account must exist: its pods run as it, and sgops labels it for the policy. */
export async function checkServiceAccount(
  ports: StepPorts,
  namespace: string,
  serviceAccount: string,
): Promise<ServiceAccountInfo> {
  const account = await ports.cluster.getServiceAccount(namespace, serviceAccount);
  if (!account) {
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `ServiceAccount ${serviceAccount} does not exist in namespace ${namespace}.`,
        `命名空间 ${namespace} 中不存在服务账号 ${serviceAccount}。`,
      ),
      {
        hint: words(
          `Check the name (kubectl get serviceaccounts -n ${namespace}) and ask again.`,
          `请核对名称（kubectl get serviceaccounts -n ${namespace}）后重新申请。`,
        ),
      },
    );
  }
  return account;
}
