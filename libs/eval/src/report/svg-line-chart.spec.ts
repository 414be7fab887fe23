import { parseXml, unescapeXml } from '../testing/xml-well-formed';
import { linearTicks, timeTicks } from './axis-ticks';
import { modelColor, modelDash } from './palette';
import { defaultBandOpacity, renderLineChart } from './svg-line-chart';

const DAY = 86400_000;
const t0 = Date.UTC(2024, 0, 1);
const x = Array.from({ length: 8 }, (_, i) => t0 + i * DAY);

describe('parseXml (the test checker itself)', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a>1 < 2</a>')).toThrow();
    expect(() => parseXml('<a>R&D</a>')).toThrow(/entity/);
    expect(() => parseXml('<a/><b/>')).toThrow(/root/);
    expect(parseXml('<a k="&lt;&amp;"><b/>t</a>').map((e) => e.name)).toEqual(['a', 'b']);
  });
});

describe('renderLineChart', () => {
  const chart = () =>
    renderLineChart({
      title: 'Sales <weekly> & "more"',
      series: [
        { name: 'truth', x, y: [1, 2, 3, NaN, 5, 6, 7, 8] },
        {
          name: "model 'A' <b>",
          x,
          y: [1, 2, 2, 3, 4, 5, 6, 7],
          band: { lower: [0, 1, 1, 2, 3, 4, 5, 6], upper: [2, 3, 3, 4, 5, 6, 7, 8] },
        },
        { name: 'R&D', x, y: [8, 7, 6, 5, 4, 3, 2, 1], dashed: true },
      ],
      verticalRules: [x[4]],
      yLabel: 'units',
    });

  it('is well-formed XML with one line path per series and one band path per band', () => {
    const elements = parseXml(chart());
    expect(elements[0].name).toBe('svg');
    expect(elements[0].attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const lines = elements.filter((e) => e.name === 'path' && e.attrs.class === 'line');
    expect(lines.map((e) => unescapeXml(e.attrs['data-series']))).toEqual(['truth', "model 'A' <b>", 'R&D']);
    expect(elements.filter((e) => e.name === 'path' && e.attrs.class === 'band')).toHaveLength(1);
    // three distinct colours
    expect(new Set(lines.map((e) => e.attrs.stroke)).size).toBe(3);
    // the NaN splits the truth line in two sub-paths
    expect(lines[0].attrs.d.match(/M/g)).toHaveLength(2);
    expect(lines[1].attrs.d.match(/M/g)).toHaveLength(1);
  });

  it('escapes text and shows it back unchanged', () => {
    const svg = chart();
    expect(svg).not.toContain('<b>');
    const texts = parseXml(svg)
      .filter((e) => e.name === 'text' || e.name === 'title')
      .map((e) => unescapeXml(e.text));
    expect(texts).toContain('Sales <weekly> & "more"');
    expect(texts).toContain("model 'A' <b>");
    expect(texts).toContain('R&D');
  });

  it('labels the time axis with UTC dates', () => {
    // 7 days do not fit 1-day steps in 7 ticks: 2-day steps, aligned to the epoch
    const labels = parseXml(chart())
      .filter((e) => e.name === 'text')
      .map((e) => e.text);
    expect(labels).toEqual(expect.arrayContaining(['2024-01-02', '2024-01-04', '2024-01-06', '2024-01-08']));
  });

  it('is deterministic', () => {
    expect(chart()).toBe(chart());
  });

  it('maps data into the plot: higher values are drawn higher', () => {
    const svg = renderLineChart({
      series: [{ name: 'up', x: [0, 1], y: [0, 10] }],
      xType: 'linear',
      width: 400,
      height: 300,
    });
    const d = parseXml(svg).find((e) => e.attrs.class === 'line')!.attrs.d;
    const [, x1, y1, x2, y2] = /M([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+)/.exec(d)!.map(Number);
    expect(x2).toBeGreaterThan(x1);
    expect(y2).toBeLessThan(y1);
  });

  it('outlines each band with its edges in the line colour, beneath the lines', () => {
    const elements = parseXml(chart());
    const band = elements.find((e) => e.attrs.class === 'band')!;
    const edge = elements.find((e) => e.attrs.class === 'band-edge')!;
    const line = elements.find(
      (e) => e.attrs.class === 'line' && e.attrs['data-series'] === band.attrs['data-series'],
    )!;
    expect(edge.attrs.stroke).toBe(line.attrs.stroke);
    expect(edge.attrs.fill).toBe('none');
    // two open sub-paths, upper then lower edge, through the polygon's own vertices
    const [upper, lower] = edge.attrs.d.split(' M').map((p) => p.replace(/^M/, ''));
    const vertices = band.attrs.d
      .replace(/ Z$/, '')
      .split(/ (?=[ML])/)
      .map((p) => p.slice(1));
    expect(upper.split(/ (?=L)/).map((p) => p.replace(/^[ML]/, ''))).toEqual(vertices.slice(0, 8));
    expect(lower.split(/ (?=L)/).map((p) => p.replace(/^[ML]/, ''))).toEqual(vertices.slice(8).reverse());
    expect(elements.indexOf(edge)).toBeLessThan(elements.indexOf(line));
  });

  it('thins each band as more share the chart, so where all overlap at most 30% is covered', () => {
    expect(defaultBandOpacity(1)).toBe(0.18);
    for (const k of [2, 3, 5, 8]) expect(1 - Math.pow(1 - defaultBandOpacity(k), k)).toBeCloseTo(0.3, 12);
    const band = (shift: number) => ({ lower: x.map(() => shift), upper: x.map(() => shift + 2) });
    const svg = renderLineChart({
      series: [0, 1, 2].map((i) => ({ name: `m${i}`, x, y: x.map(() => i + 1), band: band(i) })),
    });
    // 1 - 0.7^(1/3) = 0.1121 at two decimals
    expect(
      parseXml(svg)
        .filter((e) => e.attrs.class === 'band')
        .map((e) => e.attrs['fill-opacity']),
    ).toEqual(['0.11', '0.11', '0.11']);
  });

  it('draws each series in its palette colour and dash, and shows the same in the legend', () => {
    const series = [0, 1, 2, 3].map((i) => ({ name: `m${i}`, x, y: x.map(() => i), dash: modelDash(i) }));
    const elements = parseXml(renderLineChart({ series }));
    const lines = elements.filter((e) => e.attrs.class === 'line');
    const swatches = elements.filter(
      (e) => e.name === 'line' && e.attrs.stroke && e.attrs['stroke-width'] === '2.5',
    );
    expect(lines.map((e) => e.attrs.stroke)).toEqual([0, 1, 2, 3].map(modelColor));
    expect(lines.map((e) => e.attrs['stroke-dasharray'])).toEqual([undefined, '8 4', '1 4', '10 4 1 4']);
    expect(swatches.map((e) => [e.attrs.stroke, e.attrs['stroke-dasharray']])).toEqual(
      lines.map((e) => [e.attrs.stroke, e.attrs['stroke-dasharray']]),
    );
  });

  it('copes with empty and constant series', () => {
    expect(() =>
      parseXml(
        renderLineChart({
          series: [
            { name: 'empty', x: [], y: [] },
            { name: 'flat', x: [t0, t0], y: [3, 3] },
          ],
        }),
      ),
    ).not.toThrow();
  });
});

describe('axis ticks', () => {
  it('puts daily ticks at UTC midnight', () => {
    const t = timeTicks(t0, t0 + 6 * DAY);
    expect(t.labels).toEqual([
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-01-06',
      '2024-01-07',
    ]);
    expect(t.values[0]).toBe(t0);
  });

  it('uses calendar months for long spans', () => {
    // 2023-11-15 .. 2024-06-01: 2-month steps, first on 2024-01-01
    const t = timeTicks(Date.UTC(2023, 10, 15), Date.UTC(2024, 5, 1));
    expect(t.labels).toEqual(['2024-01', '2024-03', '2024-05']);
    expect(t.values).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1), Date.UTC(2024, 4, 1)]);
    expect(timeTicks(Date.UTC(2000, 0, 1), Date.UTC(2020, 0, 1)).labels[0]).toBe('2000');
  });

  it('shows hours and minutes within a day', () => {
    const t = timeTicks(t0, t0 + 6 * 3600_000);
    expect(t.labels[0]).toBe('01-01 00:00');
    expect(t.labels[t.labels.length - 1]).toBe('01-01 06:00');
  });

  it('chooses 1-2-5 linear steps with clean labels', () => {
    expect(linearTicks(0, 1).labels).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(linearTicks(-3, 27).labels).toEqual(['0', '5', '10', '15', '20', '25']);
  });
});
