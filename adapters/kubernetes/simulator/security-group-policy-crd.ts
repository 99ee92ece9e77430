import type { KubeObject } from './kube-object.ts';
import { sgpCrdName, sgpGroup, sgpVersion } from './resource-types.ts';

const selectorSchema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: { type: 'string' },
          operator: { type: 'string' },
          values: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

/** The CRD the TKE SecurityGroupPolicy add-on installs. */
export function securityGroupPolicyCrd(): KubeObject {
  return {
    metadata: { name: sgpCrdName, labels: { 'app.kubernetes.io/managed-by': 'tke-addon' } },
    spec: {
      group: sgpGroup,
      names: {
        plural: 'securitygrouppolicies',
        singular: 'securitygrouppolicy',
        kind: 'SecurityGroupPolicy',
        listKind: 'SecurityGroupPolicyList',
        shortNames: ['sgp'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: sgpVersion,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    podSelector: selectorSchema,
                    serviceAccountSelector: selectorSchema,
                    securityGroups: {
                      type: 'object',
                      properties: {
                        groupIds: {
                          type: 'array',
                          minItems: 1,
                          items: { type: 'string', pattern: '^sg-[0-9a-z]{8}$' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
      conversion: { strategy: 'None' },
    },
    status: {
      acceptedNames: {
        plural: 'securitygrouppolicies',
        singular: 'securitygrouppolicy',
        kind: 'SecurityGroupPolicy',
        listKind: 'SecurityGroupPolicyList',
        shortNames: ['sgp'],
      },
      storedVersions: [sgpVersion],
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
    },
  };
}
