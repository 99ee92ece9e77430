import { badRequest } from './api-status.ts';

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export interface SelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Splits on commas that are not inside `( … )`. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Parses the `labelSelector` query parameter: equality-based and set-based terms. */
export function parseLabelSelector(text: string | null | undefined): Requirement[] {
  if (text === null || text === undefined || text.trim() === '') return [];
  return splitTerms(text).map((term) => {
    const set = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (set !== null) {
      const values = set[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      return { key: set[1]!, operator: set[2] === 'in' ? 'In' : 'NotIn', values };
    }
    const notEqual = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
    if (notEqual !== null) return { key: notEqual[1]!, operator: 'NotIn', values: [notEqual[2]!] };
    const equal = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
    if (equal !== null) return { key: equal[1]!, operator: 'In', values: [equal[2]!] };
    const absent = /^!\s*([^\s!=(),]+)$/.exec(term);
    if (absent !== null) return { key: absent[1]!, operator: 'DoesNotExist', values: [] };
    if (/^[^\s!=(),]+$/.test(term)) return { key: term, operator: 'Exists', values: [] };
    throw badRequest(
      `unable to parse requirement: found '${term}', expected: key, !key or a selector operator`,
    );
  });
}

export function matchesRequirements(
  labels: Record<string, string> | undefined,
  requirements: Requirement[],
): boolean {
  const have = labels ?? {};
  return requirements.every((r) => {
    const present = Object.hasOwn(have, r.key);
    switch (r.operator) {
      case 'In':
        return present && r.values.includes(have[r.key]!);
      case 'NotIn':
        return !present || !r.values.includes(have[r.key]!);
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
    }
  });
}

export function requirementsOf(selector: SelectorObject | undefined | null): Requirement[] {
  if (selector === undefined || selector === null) return [];
  const fromLabels: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: 'In',
    values: [value],
  }));
  const fromExpressions: Requirement[] = (selector.matchExpressions ?? []).map((e) => ({
    key: e.key,
    operator: e.operator as Requirement['operator'],
    values: e.values ?? [],
  }));
  return [...fromLabels, ...fromExpressions];
}

/** A LabelSelector object; an empty (or absent) selector matches everything, as in the API. */
export function matchesSelector(
  selector: SelectorObject | undefined | null,
  labels: Record<string, string> | undefined,
): boolean {
  return matchesRequirements(labels, requirementsOf(selector));
}

export function selectorToString(selector: SelectorObject | undefined | null): string {
  return requirementsOf(selector)
    .map((r) => {
      if (r.operator === 'Exists') return r.key;
      if (r.operator === 'DoesNotExist') return `!${r.key}`;
      if (r.operator === 'In' && r.values.length === 1) return `${r.key}=${r.values[0]}`;
      return `${r.key} ${r.operator.toLowerCase()} (${r.values.join(',')})`;
    })
    .join(',');
}
