import type { ComponentChildren } from 'preact';

/**
 * A list filter: a labelled select whose first option (value '') is "no filter", then one
 * option per value; `children` adds options after them.
 */
export function FilterSelect({
  label,
  value,
  anyLabel,
  options,
  onChange,
  children,
}: {
  label: string;
  value: string;
  /** The "no filter" option's text, e.g. 'any status'. */
  anyLabel: string;
  options: string[];
  onChange: (value: string) => void;
  children?: ComponentChildren;
}) {
  return (
    <label class="form-field">
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
        {children}
      </select>
    </label>
  );
}
