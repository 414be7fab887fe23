import { Marked, Tokens } from 'marked';

// Reports are Markdown that carries user-supplied names (models, datasets, series keys), so
// raw HTML in them is shown as text, never run: marked's html renderer escapes, and links and
// images keep only safe addresses. Images become links (an <img> could not send the API key).

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** http(s), a fragment or a plain relative path; anything else (javascript:, data:) is dropped. */
function safeHref(href: string, base: string): string | null {
  if (/^https?:\/\//i.test(href) || href.startsWith('#')) return href;
  if (/^[\w][\w./-]*$/.test(href) && !href.includes('..')) return `${base}${href}`;
  return null;
}

/**
 * Markdown to HTML with raw HTML escaped. `base` resolves the report's relative links (its
 * charts, `forecasts.svg`) against the API, e.g. `/evaluations/<id>/`.
 */
export function renderMarkdown(md: string, base = ''): string {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const url = safeHref(href, base);
        if (!url) return inner;
        const t = title ? ` title="${escapeHtml(title)}"` : '';
        return `<a href="${escapeHtml(url)}"${t}>${inner}</a>`;
      },
      image({ href, text }: Tokens.Image) {
        const url = safeHref(href, base);
        const label = escapeHtml(text || href);
        return url ? `<a href="${escapeHtml(url)}" class="report-image">${label} (SVG)</a>` : label;
      },
    },
  });
  return marked.parse(md) as string;
}
