// XML 1.0 forbids most control characters outright, even escaped; drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text or attribute value made safe for XML/SVG (quotes escaped for attributes). */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A table cell made safe for Markdown: pipes and backslashes escaped, HTML neutralised, one line. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');
}

/** Inline Markdown code for a table cell or a sentence (a backtick inside becomes a quote). */
export function markdownCode(text: string): string {
  return `\`${escapeMarkdownCell(text).replace(/`/g, "'")}\``;
}
