/**
 * Spots text that looks like it holds personal data (docs/domain.md, Data protection): a UK postcode,
 * a phone number, a date of birth, a PNC-style number or an email address. A heuristic that
 * prompts a person to check, never a guarantee: it errs towards asking, but leaves case keys,
 * times and ordinary sentences alone.
 */

/** The kinds of personal data the check looks for. */
export type PersonalDataKind = 'postcode' | 'phone' | 'date_of_birth' | 'pnc' | 'email';

/** Every kind, in the order they are reported. */
export const personalDataKinds: readonly PersonalDataKind[] = ['postcode', 'phone', 'date_of_birth', 'pnc', 'email'];

/** How each kind is named to a person. */
export const personalDataLabels: Record<PersonalDataKind, string> = {
  postcode: 'a postcode',
  phone: 'a phone number',
  date_of_birth: 'a date of birth',
  pnc: 'a PNC-style number',
  email: 'an email address',
};

const MONTHS = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*';

const PATTERNS: Record<PersonalDataKind, RegExp[]> = {
  // Outward code (A9, A99, AA9, AA99, A9A, AA9A) then inward code (9AA), the space optional.
  postcode: [/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b/i],
  // UK numbers: 0 or +44 then ten more digits (nine for some), spaces, dots or dashes between.
  phone: [/(?:\+44\s?(?:\(0\)\s?)?|\b0)\d(?:[\s.-]?\d){8,9}\b/],
  date_of_birth: [
    // Named as such, with a date after it.
    /\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*[:-]?\s*\d{1,2}(?:[/.-]\d{1,2}[/.-]\d{2,4}|(?:st|nd|rd|th)?\s+[a-z]{3,9}\s+\d{2,4})/i,
    // A full date in a year that can only be a birth year in casework (1900-2009).
    /\b\d{1,2}[/.-]\d{1,2}[/.-](?:19\d{2}|200\d)\b/,
    new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTHS}\\s+(?:19\\d{2}|200\\d)\\b`, 'i'),
    /\b(?:19\d{2}|200\d)-\d{2}-\d{2}\b/,
  ],
  // Police National Computer style: a two- or four-digit year, a slash, up to seven digits and a check letter.
  pnc: [/\b(?:\d{2}|\d{4})\/\d{1,7}[A-Z]\b/i],
  email: [/\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b/i],
};

/** The kinds of personal data `text` seems to hold, in the order of `personalDataKinds`. */
export function findPersonalData(text: string): PersonalDataKind[] {
  return personalDataKinds.filter((kind) => PATTERNS[kind].some((pattern) => pattern.test(text)));
}

/** 'a postcode and a phone number' for a list of kinds. */
export function describePersonalData(kinds: readonly PersonalDataKind[]): string {
  const labels = kinds.map((k) => personalDataLabels[k]);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}
