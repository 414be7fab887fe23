import { fireEvent, render, screen } from '@testing-library/preact';
import { DataTable, num } from './data-table';
import { Pager } from './pager';

describe('Pager', () => {
  const pager = (offset: number, total: number, onOffset = jest.fn()) =>
    render(
      <Pager
        class="pager"
        label="pages"
        offset={offset}
        size={20}
        total={total}
        onOffset={onOffset}
        back="Newer"
        forward="Older"
      />,
    );

  it('shows the rows in view and moves by a page, back no further than the first row', () => {
    const onOffset = jest.fn();
    pager(10, 95, onOffset);
    expect(screen.getByRole('group', { name: 'pages' }).textContent).toContain('11–30 of 95');
    fireEvent.click(screen.getByText('Newer'));
    fireEvent.click(screen.getByText('Older'));
    expect(onOffset.mock.calls).toEqual([[0], [30]]);
  });

  it('disables the button at each end, and is absent when one page holds the list', () => {
    pager(80, 95);
    expect(screen.getByText('81–95 of 95')).toBeTruthy();
    expect((screen.getByText('Older') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByText('Newer') as HTMLButtonElement).disabled).toBe(false);
    const { container } = pager(0, 20);
    expect(container.innerHTML).toBe('');
  });
});

describe('DataTable', () => {
  const table = (rows: number[], empty?: string | null) =>
    render(
      <DataTable
        testId="t"
        columns={['name', num('value'), false]}
        rows={rows}
        empty={empty}
        row={(v) => (
          <tr key={v}>
            <td>n{v}</td>
            <td class="num">{v}</td>
          </tr>
        )}
      />,
    );

  it('heads each shown column, numbers marked, and gives a row per item', () => {
    table([1, 2]);
    const heads = [...screen.getByTestId('t').querySelectorAll('th')];
    expect(heads.map((h) => [h.textContent, h.getAttribute('scope'), h.className])).toEqual([
      ['name', 'col', ''],
      ['value', 'col', 'num'],
    ]);
    expect(screen.getByTestId('t').querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('says so when there are no rows, shows nothing with null, the headings alone without empty', () => {
    expect(table([], 'Nothing yet.').container.innerHTML).toBe('<p class="muted">Nothing yet.</p>');
    expect(table([], null).container.innerHTML).toBe('');
    expect(table([]).container.querySelectorAll('thead th')).toHaveLength(2);
  });
});
