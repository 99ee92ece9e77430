/**
 * What one packet of the question carries: `tcp:3306`, `udp:53` or `icmp`. One port, not a list:
 * an explanation follows one packet, and a verdict for "80,443" would hide which one is denied.
 */
export type Flow = { protocol: 'TCP' | 'UDP'; port: number } | { protocol: 'ICMP' };

/** `tcp:3306`, `udp:53`, `icmp` (any case); undefined for anything else. */
export function parseFlow(text: string): Flow | undefined {
  if (typeof text !== 'string') return undefined;
  const lower = text.trim().toLowerCase();
  if (lower === 'icmp') return { protocol: 'ICMP' };
  const match = /^(tcp|udp):([1-9]\d{0,4})$/.exec(lower);
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  return { protocol: match[1] === 'tcp' ? 'TCP' : 'UDP', port };
}

/** The flow as people type it: `tcp:3306`, `icmp`. */
export function formatFlow(flow: Flow): string {
  return flow.protocol === 'ICMP' ? 'icmp' : `${flow.protocol.toLowerCase()}:${flow.port}`;
}

/** The flow as rules print it: `TCP 3306`, `ICMP`. */
export function flowText(flow: Flow): string {
  return flow.protocol === 'ICMP' ? 'ICMP' : `${flow.protocol} ${flow.port}`;
}
