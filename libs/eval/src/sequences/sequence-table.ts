import { escapeMarkdownCell } from '../report/escape';
import type { SequenceEvalResult } from './sequence-eval-results';
import type { MeanStd } from './sequence-eval-results';

const fmt = (v: MeanStd | undefined) => (v ? `${v.mean.toFixed(4)} ± ${v.std.toFixed(4)}` : '–');
const fmtParam = (v: unknown) =>
  typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v);

/** The report: per dataset, every model's final metric, group and ablations; then the ranks over datasets. */
export function sequenceMarkdown(r: Omit<SequenceEvalResult, 'table'>): string {
  const s = r.settings;
  const lines: string[] = [
    `Budget ${s.budget}: ${s.hpo.method} search, ${s.hpo.trials} trials x ${s.hpo.seeds} seeds (objective mean - std on HPO-validation); ${s.seeds} final seeds; ablations on ${s.ablationSeeds} seeds${s.maxEpochs ? `; epochs capped at ${s.maxEpochs}` : ''}. Groups: pairwise Mann-Whitney U, Benjamini-Hochberg, alpha ${s.alpha}.`,
    '',
  ];
  for (const d of r.datasets) {
    const ab = d.models.some((m) => m.ablations.drop_time) || d.models.some((m) => m.ablations.permute);
    lines.push(
      `### ${escapeMarkdownCell(d.name)} (test ${d.metric}, ${d.higherIsBetter ? 'higher' : 'lower'} is better; train ${d.sizes.train} / valid ${d.sizes.valid} / HPO-valid ${d.sizes.hpoValid} / test ${d.sizes.test})`,
      '',
    );
    lines.push(
      `| model | ${d.metric} (mean ± std) | group |${ab ? ' drop time | permute |' : ''} s / fit | best parameters |`,
    );
    lines.push(`| --- | --- | --- |${ab ? ' --- | --- |' : ''} --- | --- |`);
    for (const m of d.models) {
      const params = Object.entries(m.best.params)
        .map(([k, v]) => `${k} ${fmtParam(v)}`)
        .join(', ');
      lines.push(
        `| ${escapeMarkdownCell(m.name)} | ${fmt(m.final)} | ${m.group} |${ab ? ` ${fmt(m.ablations.drop_time)} | ${fmt(m.ablations.permute)} |` : ''} ${m.fitSeconds.toFixed(1)} | ${escapeMarkdownCell(params || 'defaults')} |`,
      );
    }
    lines.push('');
  }
  const names = Object.keys(r.meanRanks).sort((a, b) => r.meanRanks[a] - r.meanRanks[b]);
  lines.push('### Ranks (group per dataset, 1 = best)', '');
  lines.push(`| model | ${r.datasets.map((d) => escapeMarkdownCell(d.name)).join(' | ')} | mean rank |`);
  lines.push(`| --- | ${r.datasets.map(() => '---').join(' | ')} | --- |`);
  for (const n of names) {
    const cells = r.datasets.map((d) => String(d.models.find((m) => m.name === n)?.group ?? '–'));
    lines.push(`| ${escapeMarkdownCell(n)} | ${cells.join(' | ')} | ${r.meanRanks[n].toFixed(2)} |`);
  }
  return lines.join('\n');
}
