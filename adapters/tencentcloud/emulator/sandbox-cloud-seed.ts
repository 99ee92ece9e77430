import type { SeedCluster } from './cluster-store.ts';
import type { SeedGroup } from './seed-group.ts';

/**
 * The world `sgops sandbox` and the tests start from: one healthy cluster that meets every
 * restriction of the seed procedure, and its cluster security group with the rules TKE creates.
 */
export function sandboxCloudSeed(clusterId = 'cls-sandbox1'): {
  clusters: SeedCluster[];
  securityGroups: SeedGroup[];
} {
  return {
    clusters: [
      {
        id: clusterId,
        name: 'sandbox',
        version: '1.30.0',
        vpcId: 'vpc-sandbox1',
        isDualStack: false,
        status: 'Running',
        clusterCidr: '172.16.0.0/16',
        serviceCidr: '172.17.0.0/18',
        addons: [{ name: 'securitygrouppolicy', version: '1.0.5', phase: 'Succeeded', reason: '' }],
        virtualNodePools: [
          {
            id: 'np-sandbox1',
            name: 'super-node-pool',
            subnetIds: ['subnet-q21rasu6'],
            lifeState: 'normal',
            nodes: [
              { name: 'eklet-subnet-q21rasu6-8bpgyx9r', subnetId: 'subnet-q21rasu6', phase: 'Running' },
              { name: 'eklet-subnet-q21rasu6-2kd9xw1m', subnetId: 'subnet-q21rasu6', phase: 'Running' },
            ],
          },
        ],
      },
    ],
    securityGroups: [
      {
        id: 'sg-sandbox1',
        name: `tke-worker-security-for-${clusterId}`,
        description: `TKE worker security group of ${clusterId}`,
        tags: [{ Key: 'tke-clusterId', Value: clusterId }],
        ingress: [
          {
            Protocol: 'ALL',
            Port: 'ALL',
            // The normal nodes' subnet only: super-node pods (10.0.64.0/18) reach CoreDNS through the
            // DNS rules sgops adds, so removing them breaks DNS as the seed's step 9 shows.
            CidrBlock: '10.0.0.0/24',
            Action: 'ACCEPT',
            PolicyDescription: 'nodes',
          },
          {
            Protocol: 'ALL',
            Port: 'ALL',
            CidrBlock: '172.16.0.0/16',
            Action: 'ACCEPT',
            PolicyDescription: 'pods',
          },
          { Protocol: 'ICMP', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT', PolicyDescription: 'ping' },
        ],
        egress: [
          { Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT', PolicyDescription: '' },
        ],
      },
    ],
  };
}

/** The sandbox's `orders-db` group (not sgops'): owned in the sandbox policy by group:dba. */
export const ordersDbGroupId = 'sg-ordersdb';

/**
 * Groups of other teams that the sandbox (and the worlds of tests that walk its stories) start
 * with beside the cluster's own: another team's database group, made outside sgops — what
 * `allow tcp:3306 to …` writes into, and what its owners (group:dba) must sign for.
 */
export function sandboxTeamGroups(): SeedGroup[] {
  return [
    {
      id: ordersDbGroupId,
      name: 'orders-db',
      description: 'orders database (the data team)',
      tags: [{ Key: 'team', Value: 'dba' }],
      ingress: [
        {
          Protocol: 'TCP',
          Port: '3306',
          CidrBlock: '10.0.0.0/24',
          Action: 'ACCEPT',
          PolicyDescription: 'app servers',
        },
        {
          Protocol: 'ALL',
          Port: 'ALL',
          CidrBlock: '0.0.0.0/0',
          Action: 'DROP',
          PolicyDescription: 'the rest',
        },
      ],
    },
  ];
}

/** A seed with the other teams' groups added. */
export function withTeamGroups<T extends { securityGroups: SeedGroup[] }>(seed: T): T {
  return { ...seed, securityGroups: [...seed.securityGroups, ...sandboxTeamGroups()] };
}
