import { render } from 'preact';
import { renderMarkdown } from './markdown';
import { Markdown } from './markdown-view';

/** Renders into a fresh container and returns it. */
function mount(md: string, base = ''): HTMLElement {
  const host = document.createElement('div');
  render(<Markdown text={md} base={base} testId="report" />, host);
  return host;
}

describe('report Markdown', () => {
  it('shows a <script> in a report as text, and runs nothing', () => {
    const w = window as unknown as { pwned?: boolean };
    const host = mount('# Backtest of <script>window.pwned = true</script>\n\nok');
    expect(host.querySelector('script')).toBeNull();
    expect(host.querySelector('h1')!.textContent).toBe('Backtest of <script>window.pwned = true</script>');
    expect(w.pwned).toBeUndefined();
  });

  it('shows an <img onerror> in a table cell (a model name) as text, without the element', () => {
    const md = ['| model | MAE |', '| --- | ---: |', '| <img src=x onerror="alert(1)"> | 1.5 |'].join('\n');
    const host = mount(md);
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('[onerror]')).toBeNull();
    const cells = [...host.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toEqual(['<img src=x onerror="alert(1)">', '1.5']);
    expect(host.querySelector('th')!.textContent).toBe('model');
  });

  it('escapes a block of raw HTML', () => {
    const html = renderMarkdown('<div onclick="x()">hi</div>\n');
    expect(html).not.toContain('<div');
    expect(html).toContain('&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;');
  });

  it('drops javascript: links and keeps their text', () => {
    const host = mount('[click](javascript:alert(1)) and [docs](https://example.org/a)');
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.org/a']);
    expect(host.textContent).toContain('click and docs');
  });

  it("turns the report's chart images into links to them under the evaluation", () => {
    const host = mount('![intervals](intervals.svg)', '/evaluations/abc/');
    expect(host.querySelector('img')).toBeNull();
    const a = host.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('/evaluations/abc/intervals.svg');
    expect(a.textContent).toBe('intervals (SVG)');
  });
});
