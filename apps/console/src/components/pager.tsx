import type { ComponentChildren } from 'preact';

/**
 * Buttons to the previous and next page of a list paged by offset, the rows shown between them
 * ('21–40 of 95'); each button is disabled at its end. Nothing when one page holds the list.
 */
export function Pager({
  offset,
  size,
  total,
  onOffset,
  back,
  forward,
  label,
  class: pagerClass,
  landmark,
}: {
  offset: number;
  /** Rows per page. */
  size: number;
  total: number;
  onOffset: (offset: number) => void;
  back: ComponentChildren;
  forward: ComponentChildren;
  /** The accessible name of the group. */
  label: string;
  class: string;
  /** A <nav> landmark (the pages of a page's main list) rather than a plain group of controls. */
  landmark?: boolean;
}) {
  if (total <= size) return null;
  const buttons = (
    <>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - size))}>
        {back}
      </button>
      <span class="muted">
        {offset + 1}–{Math.min(total, offset + size)} of {total}
      </span>
      <button type="button" disabled={offset + size >= total} onClick={() => onOffset(offset + size)}>
        {forward}
      </button>
    </>
  );
  return landmark ? (
    <nav class={`row ${pagerClass}`} aria-label={label}>
      {buttons}
    </nav>
  ) : (
    <div class={`row ${pagerClass}`} role="group" aria-label={label}>
      {buttons}
    </div>
  );
}
