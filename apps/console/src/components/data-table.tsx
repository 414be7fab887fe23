import type { ComponentChildren, VNode } from 'preact';

/** A column heading; `num` marks a column of numbers (class "num": right-aligned). */
export interface Column {
  label: ComponentChildren;
  num?: boolean;
}

/** A heading of a column of numbers. */
export const num = (label: ComponentChildren): Column => ({ label, num: true });

/**
 * A table of rows in the console's wrapper (class "table-wrap": scrolls sideways on a phone):
 * the headings as <th scope="col">, one <tr> per item from `row`.
 */
export function DataTable<T>({
  columns,
  rows,
  row,
  empty,
  caption,
  class: tableClass,
  wrapClass,
  testId,
}: {
  /** The headings; a falsy entry is a column left out (e.g. one shown only when some row has it). */
  columns: (string | Column | false | null | undefined)[];
  rows: T[];
  row: (item: T, index: number) => VNode | null;
  /** With no rows: a muted line saying so instead of the table; null: nothing; left out: the headings alone. */
  empty?: ComponentChildren;
  /** A <caption> element, as the table should show it. */
  caption?: VNode;
  class?: string;
  /** Classes added to the wrapper's "table-wrap". */
  wrapClass?: string;
  testId?: string;
}) {
  if (!rows.length && empty !== undefined) return empty === null ? null : <p class="muted">{empty}</p>;
  const heads = columns.filter((c): c is string | Column => !!c);
  return (
    <div class={wrapClass ? `table-wrap ${wrapClass}` : 'table-wrap'}>
      <table class={tableClass} data-testid={testId}>
        {caption}
        <thead>
          <tr>
            {heads.map((c, i) => {
              const { label, num: isNum } = typeof c === 'string' ? { label: c, num: false } : c;
              return (
                <th key={i} scope="col" class={isNum ? 'num' : undefined}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{rows.map(row)}</tbody>
      </table>
    </div>
  );
}
