/**
 * Kubernetes LabelSelectors as the API server reads them: every matchLabels pair and every
 * matchExpressions requirement must hold, so an empty (or absent) selector matches everything.
 * The one matcher and formatter for sgops and the cluster simulator alike.
 */
/** A LabelSelector (ports/cluster.ts) as it may also arrive off the wire: any operator string. */
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function matchesLabelSelector(
  selector: LabelSelectorLike | undefined | null,
  labels: Record<string, string> | undefined,
): boolean {
  if (selector === undefined || selector === null) return true;
  const have = labels ?? {};
  const has = (key: string) => Object.hasOwn(have, key);
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([key, value]) => has(key) && have[key] === value)) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return has(e.key) && values.includes(have[e.key]!);
      case 'NotIn':
        return !has(e.key) || !values.includes(have[e.key]!);
      case 'Exists':
        return has(e.key);
      case 'DoesNotExist':
        return !has(e.key);
      default:
        // The API server rejects unknown operators; a selector that slips one through selects nothing.
        return false;
    }
  });
}

/** `k=v,k2 in (a,b),k3,!k4` — kubectl's selector syntax; '' for the empty selector. */
export function formatLabelSelector(selector: LabelSelectorLike | undefined | null): string {
  const pairs = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector?.matchExpressions ?? []).map((e) => {
    if (e.operator === 'Exists') return e.key;
    if (e.operator === 'DoesNotExist') return `!${e.key}`;
    return `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`;
  });
  return [...pairs, ...expressions].join(',');
}
