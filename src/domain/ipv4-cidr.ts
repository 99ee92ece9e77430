const ipv4Pattern = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** The address as a 32-bit number, or null; octets with leading zeros are refused (octal ambiguity). */
function addressOf(text: string): number | null {
  if (!ipv4Pattern.test(text)) return null;
  const octets = text.split('.').map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

function prefixOf(text: string | undefined): number | null {
  if (text === undefined || !/^(?:0|[1-9]\d?)$/.test(text)) return null;
  const prefix = Number(text);
  return prefix <= 32 ? prefix : null;
}

function networkOf(address: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) * size;
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** `10.0.0.0/8`: an IPv4 network in CIDR form whose host bits are all zero. */
export function isIpv4Cidr(value: string): boolean {
  if (typeof value !== 'string') return false;
  const [addressText = '', prefixText, extra] = value.split('/');
  const address = addressOf(addressText);
  const prefix = prefixOf(prefixText);
  return extra === undefined && address !== null && prefix !== null && networkOf(address, prefix) === address;
}

/**
 * The network a near-miss most likely meant, offered as a suggestion and never applied:
 * `10.1.2.3/8` → `10.0.0.0/8` (host bits cleared), a bare `10.1.2.3` → `10.1.2.3/32`.
 */
export function ipv4CidrFix(value: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const [addressText = '', prefixText, extra] = value.split('/');
  const address = addressOf(addressText);
  if (address === null || extra !== undefined) return undefined;
  if (prefixText === undefined) return `${addressText}/32`;
  const prefix = prefixOf(prefixText);
  if (prefix === null) return undefined;
  const fixed = `${formatAddress(networkOf(address, prefix))}/${prefix}`;
  return fixed === value ? undefined : fixed;
}
