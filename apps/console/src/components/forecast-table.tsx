import { DataTable, num } from './data-table';
import { valueColumns } from '../pages/forecast-data';
import type { ForecastAnswer } from '../pages/forecast-types';

// The forecast's numbers as a table (folded by default): what the chart shows, for screen
// readers and for reading values off exactly.

const fmt = (v: number | undefined) => (v === undefined ? '–' : Number(v.toPrecision(6)).toString());

export function ForecastTable({ answer, channel }: { answer: ForecastAnswer; channel: number }) {
  const columns = valueColumns(answer).map((c) => ({ name: c.name, values: c.of(channel) }));
  return (
    <details class="forecast-table">
      <summary>Forecast values ({answer.channels[channel]})</summary>
      <DataTable
        columns={[num('Step'), 'Time', ...columns.map((c) => num(c.name))]}
        rows={answer.steps}
        row={(s, i) => (
          <tr key={s.step}>
            <td class="num">{s.step}</td>
            <td>{s.timestamp ?? '–'}</td>
            {columns.map((c) => (
              <td class="num" key={c.name}>
                {fmt(c.values?.[i])}
              </td>
            ))}
          </tr>
        )}
      />
    </details>
  );
}
