import type { KubeObject } from './kube-object.ts';

export const probeAnnotation = 'sgops.io/probe';
export const probeCommand = 'sgops-probe';

/** What a probe pod checks, in order: a DNS lookup, then an HTTP GET. */
export interface ProbeSpec {
  dns?: string;
  http?: string;
}

export type ParsedProbe = { spec: ProbeSpec } | { error: string };

function fromArgs(args: string[]): ParsedProbe {
  const spec: ProbeSpec = {};
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    if ((flag === '--dns' || flag === '--http') && value !== undefined && !value.startsWith('--')) {
      spec[flag === '--dns' ? 'dns' : 'http'] = value;
      i += 1;
    } else {
      return { error: `${probeCommand}: unexpected argument ${JSON.stringify(flag)}` };
    }
  }
  return spec.dns === undefined && spec.http === undefined
    ? { error: `${probeCommand}: give --dns NAME and/or --http URL` }
    : { spec };
}

function fromAnnotation(text: string): ParsedProbe {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `${probeAnnotation}: not JSON` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `${probeAnnotation}: expected {"dns"?: name, "http"?: url}` };
  }
  const { dns, http, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return { error: `${probeAnnotation}: unknown field ${extra.join(', ')}` };
  if ((dns !== undefined && typeof dns !== 'string') || (http !== undefined && typeof http !== 'string')) {
    return { error: `${probeAnnotation}: dns and http must be strings` };
  }
  if (dns === undefined && http === undefined) return { error: `${probeAnnotation}: give dns and/or http` };
  return { spec: { ...(dns === undefined ? {} : { dns }), ...(http === undefined ? {} : { http }) } };
}

/**
 * A probe pod is an ordinary pod with the `sgops.io/probe` annotation
 * (`{"dns":"my-app","http":"http://my-app:80/"}`) or whose first container runs
 * `sgops-probe --dns NAME --http URL` (as `command`, or `args` after it); undefined for others.
 */
export function probeSpecOf(pod: KubeObject): ParsedProbe | undefined {
  const annotation = pod.metadata.annotations?.[probeAnnotation];
  if (annotation !== undefined) return fromAnnotation(annotation);
  const container = (pod.spec?.containers ?? [])[0] as { command?: string[]; args?: string[] } | undefined;
  const argv = [...(container?.command ?? []), ...(container?.args ?? [])];
  if (argv[0] !== probeCommand) return undefined;
  return fromArgs(argv.slice(1));
}
