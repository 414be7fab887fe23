import type { ZooKind } from '../pages/models-types';

const FAMILY_TITLES: Record<string, string> = {
  series: 'Forecasters (one series column)',
  seq2seq: 'Sequence-to-sequence (a seq2seq dataset)',
};

/** Every kind with its title, description and capabilities; "Configure" picks it in the create form. */
export function ModelZoo({ kinds, onPick }: { kinds: ZooKind[]; onPick: (kind: string) => void }) {
  const families = [...new Set(kinds.map((k) => k.family))];
  return (
    <div class="zoo">
      {families.map((family) => (
        <section key={family} aria-labelledby={`zoo-${family}`}>
          <h3 id={`zoo-${family}`}>{FAMILY_TITLES[family] ?? family}</h3>
          <ul class="zoo-list">
            {kinds
              .filter((k) => k.family === family)
              .map((k) => (
                <li key={k.kind} class="zoo-kind" data-kind={k.kind}>
                  <div class="zoo-head">
                    <strong>{k.title}</strong> <code>{k.kind}</code>
                  </div>
                  <p>{k.description}</p>
                  <div class="zoo-foot">
                    <span class="zoo-caps">
                      {(k.capabilities ?? []).map((c) => (
                        <span key={c} class="badge cap">
                          {c}
                        </span>
                      ))}
                    </span>
                    <button type="button" onClick={() => onPick(k.kind)} aria-label={`Configure ${k.title}`}>
                      Configure
                    </button>
                  </div>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
