import type { ComponentChildren } from 'preact';

/** One fact: its name and what it is. */
export type Fact = [string, ComponentChildren];

/** Facts about one thing (a dataset, a model) as a description list, each name with its value. */
export function FactsList({ facts, class: listClass }: { facts: Fact[]; class: string }) {
  return (
    <dl class={listClass}>
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
