import { StringDecoder } from 'node:string_decoder';
import { TURN_CHARS, Turns } from '@seqcast/core';

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

/**
 * Splits text into lines (LF or CRLF), without the line ends, giving the event loop a turn
 * every TURN_CHARS. Only each new chunk is searched for a line end, so a line spanning many
 * chunks costs its length once, not its length times the number of chunks.
 */
export async function* lines(text: AsyncIterable<string>): AsyncGenerator<string> {
  const turns = new Turns(TURN_CHARS);
  let carry = '';
  for await (const chunk of text) {
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      carry += chunk;
    } else {
      const s = carry + chunk;
      nl += carry.length;
      let start = 0;
      while (nl >= 0) {
        yield s.charCodeAt(nl - 1) === 13 && nl > start ? s.slice(start, nl - 1) : s.slice(start, nl);
        start = nl + 1;
        nl = s.indexOf('\n', start);
      }
      carry = s.slice(start);
    }
    await turns.add(chunk.length);
  }
  if (carry.length) yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
}

/**
 * The pieces of `text.split(separator)`, one at a time: one line of a .tsf or .ts file may
 * hold millions of values, and an array of them all was seconds of garbage collection.
 */
export function* splitLazily(text: string, separator: string): Generator<string> {
  let from = 0;
  for (;;) {
    const to = text.indexOf(separator, from);
    if (to < 0) {
      yield text.slice(from);
      return;
    }
    yield text.slice(from, to);
    from = to + separator.length;
  }
}

/** Collects a whole text (for formats that are parsed in one piece, such as JSON), enforcing a size limit. */
export async function readAllText(text: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of text) parts.push(chunk);
  return parts.join('');
}
