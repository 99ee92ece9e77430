import { badRequest } from './api-status.ts';
import type { KubeObject } from './kube-object.ts';

interface FieldRequirement {
  path: string[];
  value: string;
  negate: boolean;
}

/** Parses `fieldSelector`: `a.b=v`, `a.b==v`, `a.b!=v`, comma-separated. */
export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (text === null || text === undefined || text.trim() === '') return [];
  return text.split(',').map((term) => {
    const match = /^\s*([A-Za-z0-9_.]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(term);
    if (match === null) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    return { path: match[1]!.split('.'), value: match[3]!, negate: match[2] === '!=' };
  });
}

function read(object: KubeObject, path: string[]): string {
  let current: unknown = object;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

export function matchesFields(object: KubeObject, requirements: FieldRequirement[]): boolean {
  return requirements.every((r) => (read(object, r.path) === r.value) !== r.negate);
}
