/**
 * Kubernetes LabelSelectors as the API server reads them: every matchLabels pair and every
 * matchExpressions requirement must hold, so an empty selector matches everything.
 */
import type { LabelSelector } from '../ports/cluster.ts';

export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  const has = (key: string) => Object.hasOwn(labels, key);
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([key, value]) => has(key) && labels[key] === value)) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return has(e.key) && values.includes(labels[e.key]!);
      case 'NotIn':
        return !has(e.key) || !values.includes(labels[e.key]!);
      case 'Exists':
        return has(e.key);
      case 'DoesNotExist':
        return !has(e.key);
    }
  });
}

/** `k=v,k2 in (a,b),k3,!k4` — kubectl's selector syntax; '' for the empty selector. */
export function formatLabelSelector(selector: LabelSelector): string {
  const pairs = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector.matchExpressions ?? []).map((e) => {
    if (e.operator === 'Exists') return e.key;
    if (e.operator === 'DoesNotExist') return `!${e.key}`;
    return `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`;
  });
  return [...pairs, ...expressions].join(',');
}
