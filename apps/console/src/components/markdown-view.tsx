import { useMemo } from 'preact/hooks';
import { renderMarkdown } from './markdown';

/** A report's Markdown as HTML (raw HTML in it escaped: see markdown.ts). */
export function Markdown({ text, base, testId }: { text: string; base?: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(text, base), [text, base]);
  return <div class="report" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
