import { Counter, Gauge, Histogram, renderAll } from './exposition';

describe('exposition format 0.0.4', () => {
  it('writes HELP and TYPE once per family and escapes label values', () => {
    const c = new Counter('x_total', 'Things.\nMore.', ['path']);
    c.inc({ path: 'a"b\\c\nd' });
    c.inc({ path: 'a"b\\c\nd' }, 2);
    const g = new Gauge('y', 'A level.', []);
    g.set({}, 1.5);
    expect(renderAll([c, g])).toBe(
      [
        '# HELP x_total Things.\\nMore.',
        '# TYPE x_total counter',
        'x_total{path="a\\"b\\\\c\\nd"} 3',
        '# HELP y A level.',
        '# TYPE y gauge',
        'y 1.5',
        '',
      ].join('\n'),
    );
  });

  it('writes cumulative histogram buckets ending in +Inf, with sum and count', () => {
    const h = new Histogram('d_seconds', 'Durations.', ['op'], [0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe({ op: 'x' }, v);
    expect(h.render().split('\n').slice(2)).toEqual([
      'd_seconds_bucket{op="x",le="0.1"} 2',
      'd_seconds_bucket{op="x",le="1"} 3',
      'd_seconds_bucket{op="x",le="+Inf"} 4',
      'd_seconds_sum{op="x"} 3.65',
      'd_seconds_count{op="x"} 4',
    ]);
  });

  it('keeps one series per label values whatever order the labels come in', () => {
    const c = new Counter('z_total', 'Z.', ['a', 'b']);
    c.inc({ b: '2', a: '1' });
    c.inc({ a: '1', b: '2' });
    expect(c.render().split('\n')[2]).toBe('z_total{a="1",b="2"} 2');
  });
});
