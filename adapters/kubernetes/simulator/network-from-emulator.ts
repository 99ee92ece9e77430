import { AppError } from '../../../src/errors.ts';
import type { NetworkModel, NetworkRule, SecurityGroupRules } from './network-model.ts';

/** A rule as the Tencent Cloud emulator shows it (the DescribeSecurityGroupPolicies wire form). */
interface WireRule {
  Protocol?: string;
  Port?: string;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  SecurityGroupId?: string;
  Action?: string;
  AddressTemplate?: { AddressId?: string; AddressGroupId?: string };
  ServiceTemplate?: { ServiceId?: string; ServiceGroupId?: string };
}

interface WireGroup {
  id: string;
  region: string;
  name: string;
  ingress: WireRule[];
  egress: WireRule[];
}

/** The part of the emulator's state the model reads: its groups, and the quotas it reports. */
interface WireState {
  securityGroups: WireGroup[];
  /** What DescribeSecurityGroupLimits answers; only the per-instance quota matters here. */
  limits: { InstanceSecurityGroupLimit: number };
}

/** What the emulator offers in-process (`createTencentCloudEmulator(...)` satisfies it). */
export interface EmulatorStateSource {
  state(): WireState;
}

export interface NetworkFromEmulatorOptions {
  region: string;
  clusterGroupId: string;
  /** Deadline of one `GET <adminUrl>/state` (default 5 000 ms). */
  timeoutMs?: number;
}

/**
 * Rules the model cannot evaluate are left out: IPv6 peers (the simulator's pods are IPv4),
 * address templates and service templates (sgops never writes them).
 */
function toRule(wire: WireRule): NetworkRule | undefined {
  const protocol = (wire.Protocol ?? '').toUpperCase();
  const action = (wire.Action ?? '').toUpperCase();
  if (protocol === '' || (action !== 'ACCEPT' && action !== 'DROP')) return undefined;
  if (wire.Ipv6CidrBlock || wire.AddressTemplate?.AddressId || wire.AddressTemplate?.AddressGroupId) {
    return undefined;
  }
  const port = wire.Port === undefined || wire.Port === '' ? 'ALL' : wire.Port;
  if (wire.SecurityGroupId) return { protocol, port, securityGroupId: wire.SecurityGroupId, action };
  return { protocol, port, cidr: wire.CidrBlock || '0.0.0.0/0', action };
}

function rulesOf(group: WireGroup): SecurityGroupRules {
  const convert = (list: WireRule[]) => list.map(toRule).filter((r): r is NetworkRule => r !== undefined);
  return { ingress: convert(group.ingress), egress: convert(group.egress) };
}

async function fetchState(adminUrl: string, timeoutMs: number): Promise<WireState> {
  const url = `${adminUrl.replace(/\/+$/, '')}/state`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new AppError('NETWORK', `Could not read the Tencent Cloud emulator's state at ${url}.`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new AppError(
      'CLOUD_INTERNAL',
      `The Tencent Cloud emulator answered ${response.status} for ${url}.`,
      {
        details: { status: response.status },
      },
    );
  }
  return (await response.json()) as WireState;
}

/**
 * The simulator's network model over the Tencent Cloud emulator: in-process through `state()`
 * when given the emulator, else over HTTP from `GET <adminUrl>/state`. Every lookup reads the
 * current state, so a rule deleted in the cloud changes the next probe's outcome, and the
 * per-instance limit is the one DescribeSecurityGroupLimits reports.
 */
export function networkFromEmulator(
  emulator: EmulatorStateSource | string,
  options: NetworkFromEmulatorOptions,
): NetworkModel {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const state = async (): Promise<WireState> =>
    typeof emulator === 'string' ? await fetchState(emulator, timeoutMs) : emulator.state();
  return {
    clusterGroupId: options.clusterGroupId,
    async securityGroup(id) {
      const group = (await state()).securityGroups.find((g) => g.id === id && g.region === options.region);
      return group === undefined ? null : rulesOf(group);
    },
    async instanceSecurityGroupLimit() {
      return (await state()).limits.InstanceSecurityGroupLimit;
    },
  };
}
