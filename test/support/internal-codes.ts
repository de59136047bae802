/**
 * Finds stored codes in text a person reads: snake_case words (`seen_at_home`) and dotted codes
 * (`visit.draft_saved`). Abbreviations such as "e.g." and "i.e." are not codes; neither are
 * hashes, links or e-mail addresses, which are dropped first.
 */
export function findInternalCodes(text: string): string[] {
  const cleaned = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/\b[0-9a-f]{64}\b/g, ' ')
    // File names people are told about (docs/caseload-csv.md, record.pdf) are not codes.
    .replace(/\S+\.(?:md|csv|pdf|json|yaml|zip|ts)\b/g, ' ');
  return cleaned.match(/\b[a-z][a-z0-9]+(?:_[a-z0-9]+)+\b|\b[a-z]{2,}\.[a-z_]{2,}\b/g) ?? [];
}
