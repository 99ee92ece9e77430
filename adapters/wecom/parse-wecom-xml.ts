/**
 * WeCom's XML, parsed with a real parser. WeCom sends flat `<xml>` documents whose leaves are
 * text or CDATA; everything stays a string (MsgId is a 64-bit number that a JS number would round).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type WeComXmlFields = Readonly<Record<string, string>>;

/** Longest XML the callback accepts; WeCom messages are a few kilobytes at most. */
export const maxWeComXmlBytes = 64 * 1024;

export type ParsedWeComXml = { ok: true; fields: WeComXmlFields } | { ok: false; reason: string };

const malformed = (reason: string): ParsedWeComXml => ({ ok: false, reason });

/** The leaf fields of `<xml>…</xml>`; nested elements and attributes are ignored. Never throws. */
export function parseWeComXml(xml: string): ParsedWeComXml {
  if (xml.length === 0) return malformed('empty body');
  if (Buffer.byteLength(xml) > maxWeComXmlBytes) return malformed('too large');
  // WeCom never sends a DTD; refusing one rules out entity-expansion tricks before parsing.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return malformed('DTDs are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return malformed(valid.err.msg);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (error) {
    return malformed(error instanceof Error ? error.message : 'unparsable');
  }
  const root = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['xml'] : undefined;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return malformed('no <xml> root');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string') fields[key] = value;
  }
  return { ok: true, fields };
}
