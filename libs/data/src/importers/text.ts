import { StringDecoder } from 'node:string_decoder';

/** Decodes UTF-8 chunks without splitting a character across chunk boundaries. */
export async function* decodeUtf8(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of source) {
    let text =
      typeof chunk === 'string'
        ? chunk
        : decoder.write(
            Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
          );
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
      first = false;
    }
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Splits text into lines (LF or CRLF), without the line ends. */
export async function* lines(text: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of text) {
    const s = carry + chunk;
    let start = 0;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) break;
      yield s.charCodeAt(nl - 1) === 13 && nl > start ? s.slice(start, nl - 1) : s.slice(start, nl);
      start = nl + 1;
    }
    carry = s.slice(start);
  }
  if (carry.length) yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
}

/** Collects a whole text (for formats that are parsed in one piece, such as JSON), enforcing a size limit. */
export async function readAllText(text: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of text) parts.push(chunk);
  return parts.join('');
}
