/**
 * RFC 4180 records from text chunks: quoted fields may hold delimiters, doubled quotes
 * and line breaks. Lines without a quote, the common case, take a fast path through
 * `split`.
 */
export async function* csvRecords(text: AsyncIterable<string>, delimiter = ','): AsyncGenerator<string[]> {
  let carry = '';
  for await (const chunk of text) {
    const s = carry + chunk;
    let pos = 0;
    for (;;) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      let line = s.slice(pos, nl);
      if (line.indexOf('"') < 0) {
        if (line.endsWith('\r')) line = line.slice(0, -1);
        pos = nl + 1;
        if (line.length) yield line.split(delimiter);
        continue;
      }
      const parsed = parseQuoted(s, pos, delimiter, false);
      if (!parsed) break; // the record continues in the next chunk
      pos = parsed.end;
      yield parsed.fields;
    }
    carry = s.slice(pos);
  }
  if (carry.length) {
    const parsed = parseQuoted(carry, 0, delimiter, true);
    if (parsed && !(parsed.fields.length === 1 && parsed.fields[0] === '')) yield parsed.fields;
  }
}

/** Parses one record starting at `pos`; null when the text ends inside it and more may come. */
function parseQuoted(
  s: string,
  pos: number,
  delimiter: string,
  final: boolean,
): { fields: string[]; end: number } | null {
  const fields: string[] = [];
  let field = '';
  let i = pos;
  let quoted = false;
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        if (i + 1 >= s.length && !final) return null;
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field.length === 0) {
      quoted = true;
      i++;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      if (c === '\r' && s[i + 1] === '\n') i++;
      return { fields, end: i + 1 };
    } else {
      field += c;
      i++;
    }
  }
  if (!final) return null;
  fields.push(field);
  return { fields, end: i };
}
