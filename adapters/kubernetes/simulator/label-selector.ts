import { matchesLabelSelector } from '../../../src/domain/label-selector.ts';
import { badRequest } from './api-status.ts';

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
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

/** Parsed requirements are matchExpressions under another name: one matcher serves both. */
export function matchesRequirements(
  labels: Record<string, string> | undefined,
  requirements: Requirement[],
): boolean {
  return matchesLabelSelector({ matchExpressions: requirements }, labels);
}
