import { validationFailure } from '@seqcast/kit';
import { ConfigSchema } from '@seqcast/kit';
import { PoissonModel } from './baselines/poisson';
import { eventModel, eventModelRegistry } from './registry';

describe('an event model kind registered from outside the zoo (one line, as a plugin would)', () => {
  it('is listed, validated and created through the registry like a built-in kind', () => {
    eventModelRegistry.register(
      eventModel({
        kind: 'plugin-poisson',
        title: 'Poisson (plugin)',
        description: 'the Poisson baseline under another kind',
        schema: new ConfigSchema({}),
        capabilities: ['probabilistic'],
        create: (K, c) => new PoissonModel(K, c),
      }),
    );
    expect(eventModelRegistry.kinds()).toContain('plugin-poisson');
    expect(eventModelRegistry.registry.describe('plugin-poisson').roles).toEqual({ numTypes: 'numTypes' });
    expect(eventModelRegistry.create('plugin-poisson', 3)).toBeInstanceOf(PoissonModel);
    expect(
      validationFailure(() => eventModelRegistry.create('plugin-poisson', 3, { rate: 1 })).details,
    ).toEqual([{ field: 'config.rate', reason: expect.stringContaining('unknown') }]);
    expect(() => eventModelRegistry.register(eventModel({ kind: 'plugin-poisson' } as never))).toThrow(
      /already/,
    );
  });
});
