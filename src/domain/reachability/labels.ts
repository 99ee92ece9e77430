/** How the explanation names things, in both languages: a group, an endpoint, a direction. */
import type { Direction } from '../../ports/cloud-network.ts';
import type { Words } from '../words.ts';
import type { Subject } from './endpoint.ts';

/** `sg-a1b2c3d4 (orders-db)`, or the id alone when the name is unknown. */
export function groupLabel(id: string, name?: string): Words {
  return name === undefined ? { en: id, zh: id } : { en: `${id} (${name})`, zh: `${id}（${name}）` };
}

export function subjectLabel(subject: Subject): Words {
  switch (subject.kind) {
    case 'pod':
      return { en: `pod ${subject.name}`, zh: `Pod ${subject.name}` };
    case 'securityGroup':
      return groupLabel(subject.id, subject.name);
    case 'address':
      return { en: subject.text, zh: subject.text };
  }
}

export const directionLabel: Record<Direction, Words> = {
  egress: { en: 'Egress', zh: '出站' },
  ingress: { en: 'Ingress', zh: '入站' },
};

export const verdictLabel = {
  allow: { en: 'allowed', zh: '允许' },
  deny: { en: 'denied', zh: '拒绝' },
  unknown: { en: 'unknown', zh: '未知' },
} as const satisfies Record<string, Words>;
