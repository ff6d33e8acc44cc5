/**
 * Checks on what people type into mail headers: a subject or an address with CR/LF (or another
 * control character) would let a sender add headers of their own ("header injection"), so it is
 * refused with a 400 naming the field; address lists are parsed and every address validated.
 *
 * @example
 * checkHeaderText('Re: printer', '/subject');              // 'Re: printer'
 * checkHeaderText('Hi\r\nBcc: x@evil.test', '/subject');   // throws BadRequest (HEADER_INJECTION, /subject)
 * parseAddresses('Ann Lee <ann@example.com>, bob@example.com', '/to');
 * // [{ name: 'Ann Lee', address: 'ann@example.com' }, { name: '', address: 'bob@example.com' }]
 */
import addressparser from 'nodemailer/lib/addressparser';
import { BadRequest } from '../errors';

export interface Address {
  name: string;
  address: string;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** True for a plain mail address (`local@domain`). */
export function isEmail(address: string): boolean {
  return address.length <= 254 && EMAIL.test(address);
}

/** `text` when it has no CR, LF or other control character (tab allowed); else a 400 naming `field`. */
export function checkHeaderText(text: string, field: string): string {
  if (CONTROL.test(text)) {
    throw new BadRequest(`${field} must not contain line breaks or control characters (a mail header cannot hold them)`, field, undefined, 'HEADER_INJECTION');
  }
  return text;
}

/**
 * Parses an address list (`,` or `;` separated, `Name <addr>` or `addr`); every address must be
 * valid. An empty list is fine (the caller decides whether one is needed).
 */
export function parseAddresses(text: string | string[] | undefined, field: string): Address[] {
  if (text === undefined) return [];
  const parts = Array.isArray(text) ? text : [text];
  const out: Address[] = [];
  parts.forEach((part, i) => {
    const where = Array.isArray(text) ? `${field}/${i}` : field;
    checkHeaderText(part, where);
    if (!part.trim()) return;
    for (const a of flatten(addressparser(part.replace(/;/g, ',')))) {
      if (!a.address || !isEmail(a.address)) {
        throw new BadRequest(`${where}: "${a.address || a.name}" is not a valid mail address`, where, undefined, 'INVALID_ADDRESS');
      }
      out.push({ name: a.name ?? '', address: a.address });
    }
  });
  return out;
}

type Parsed = { name?: string; address?: string; group?: Parsed[] };
function flatten(list: Parsed[]): Parsed[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : [a]));
}

/** `Name <addr>` (name quoted when it needs to be) or `addr`. */
export function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  const name = /^[\w .'-]*$/.test(a.name) ? a.name : `"${a.name.replace(/["\\]/g, '\\$&')}"`;
  return `${name} <${a.address}>`;
}

/** The addresses as header strings. */
export const formatAddresses = (list: Address[]): string[] => list.map(formatAddress);
