/**
 * IPv4 addresses and CIDR blocks as ranges of 32-bit numbers, so a rule's CIDR can be compared with
 * a peer that is one address (`10.0.0.5`, i.e. /32) or a whole block (a CIDR target).
 */
export interface AddressRange {
  first: number;
  last: number;
}

const octet = /^(?:0|[1-9]\d{0,2})$/;

function addressOf(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !octet.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/**
 * `10.0.0.0/8`, `10.1.2.3/32`, `0.0.0.0/0`, or a bare address (a /32). Host bits are ignored, as
 * the network the block names is what it covers (`10.1.2.3/8` covers 10.0.0.0–10.255.255.255).
 * Undefined for anything else, IPv6 included.
 */
export function addressRange(text: string): AddressRange | undefined {
  if (typeof text !== 'string') return undefined;
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const address = addressOf(addressText);
  if (address === undefined) return undefined;
  if (prefixText !== undefined && !/^(?:0|[1-9]\d?)$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

/** How a rule's block relates to the peer's addresses: all inside, none inside, or some. */
export function coverage(rule: AddressRange, peer: AddressRange): 'all' | 'none' | 'some' {
  if (rule.first <= peer.first && peer.last <= rule.last) return 'all';
  if (peer.last < rule.first || rule.last < peer.first) return 'none';
  return 'some';
}

/** Whether the block covers every IPv4 address (`0.0.0.0/0`). */
export const coversEverything = (range: AddressRange): boolean =>
  range.first === 0 && range.last === 2 ** 32 - 1;
