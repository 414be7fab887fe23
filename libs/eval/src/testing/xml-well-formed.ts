/** An element seen by `parseXml`: its name and attributes, in document order. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;

function checkText(text: string, where: number): void {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<') throw new Error(`unescaped '<' at ${where + i}`);
    if (text[i] === '&' && !ENTITY.test(text.slice(i))) throw new Error(`bad entity at ${where + i}: ${text.slice(i, i + 10)}`);
  }
}

/**
 * A minimal XML well-formedness checker for tests (no DTDs, no CDATA): one root element,
 * matched tags, quoted unique attributes, only the five named and numeric entities.
 * Throws on the first fault; returns the elements so tests can count them.
 */
export function parseXml(xml: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let roots = 0;
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      checkText(text, i);
      if (!stack.length && text.trim()) throw new Error(`text outside the root at ${i}`);
      if (stack.length) stack[stack.length - 1].text += text;
      i = next < 0 ? xml.length : next;
      continue;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error(`unclosed comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (xml[i + 1] === '/') {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new Error(`bad closing tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> at ${i} closes <${open?.name ?? 'nothing'}>`);
      let j = i + 2 + m[0].length;
      while (/\s/.test(xml[j])) j++;
      if (xml[j] !== '>') throw new Error(`bad closing tag at ${i}`);
      i = j + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`bad tag at ${i}: ${xml.slice(i, i + 20)}`);
    if (!stack.length && roots++ > 0) throw new Error(`second root element at ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, text: '' };
    let j = i + 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(j))![0].length;
      j += ws;
      if (xml.startsWith('/>', j)) {
        j += 2;
        elements.push(el);
        break;
      }
      if (xml[j] === '>') {
        j += 1;
        elements.push(el);
        stack.push(el);
        break;
      }
      if (!ws) throw new Error(`attributes need whitespace before them at ${j}`);
      const a = /^([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(j));
      if (!a) throw new Error(`bad attribute at ${j}: ${xml.slice(j, j + 20)}`);
      if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]} at ${j}`);
      const value = a[3] ?? a[4];
      checkText(value, j);
      el.attrs[a[1]] = value;
      j += a[0].length;
    }
    i = j;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}

/** The five XML entities back to characters (for comparing text content). */
export function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
}
