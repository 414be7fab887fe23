import { DataTable, num } from './data-table';
import { offendingLine } from '../pages/datasets-upload-issues';
import type { IssueRow } from '../pages/datasets-upload-issues';

/** Cells longer than this are cut in the line shown: the offending cell is what matters. */
const CELL_CHARS = 40;

const cut = (s: string) => (s.length > CELL_CHARS ? `${s.slice(0, CELL_CHARS - 1)}…` : s);

/**
 * A refused upload's problems against the data: row and column of each, and for a CSV the
 * record read back from the file with the named column's cell marked.
 */
export function UploadIssuesTable({
  issues,
  records,
  delimiter,
}: {
  issues: IssueRow[];
  records: Map<number, string>;
  delimiter: string;
}) {
  const withLines = records.size > 0;
  return (
    <DataTable
      wrapClass="ds-issues"
      testId="upload-issues"
      caption={
        <caption class="muted">
          Rows are counted from 1 at the first row of data{withLines ? ' (after the header line)' : ''}.
        </caption>
      }
      columns={[num('Row'), 'Column', 'Problem', withLines && 'Line in the file']}
      rows={issues}
      row={(issue, i) => {
        const line = withLines ? offendingLine(records, issue, delimiter) : null;
        return (
          <tr key={i} data-row={issue.row ?? ''} data-column={issue.column ?? ''}>
            <td class="num">{issue.row ?? '–'}</td>
            <td>
              {issue.column ? <code>{issue.column}</code> : issue.field ? <code>{issue.field}</code> : '–'}
            </td>
            <td>{issue.reason}</td>
            {withLines && (
              <td class="ds-line">
                {line ? (
                  <code>
                    {line.cells.map((cell, j) => (
                      <span key={j}>
                        {j > 0 && delimiter}
                        {j === line.at ? <mark>{cut(cell)}</mark> : cut(cell)}
                      </span>
                    ))}
                  </code>
                ) : (
                  ''
                )}
              </td>
            )}
          </tr>
        );
      }}
    />
  );
}
