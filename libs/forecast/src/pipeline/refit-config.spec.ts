import { refitConfig } from './refit-config';

describe('refitConfig (the settings a refit on every row keeps from the split fit)', () => {
  it('trains an early-stopped kind for the epoch validation kept', () => {
    const config = { epochs: 40, patience: 5, seed: 3 };
    const out = refitConfig('spacetime', config, { windows: 10, seconds: 1, bestEpoch: 12 });
    expect(out).toEqual({ epochs: 12, patience: 5, seed: 3 });
    // the caller's config is left as it was
    expect(config.epochs).toBe(40);
  });

  it('keeps what a fit chose on validation, and leaves kinds without epochs alone', () => {
    expect(
      refitConfig(
        'dlinear',
        { lookback: 8, horizon: 2 },
        { windows: 10, seconds: 1, chosen: { ridge: 0.3 } },
      ),
    ).toEqual({
      lookback: 8,
      horizon: 2,
      ridge: 0.3,
    });
    // a closed-form kind reports no bestEpoch; nothing to carry over
    expect(refitConfig('linear', { lookback: 8, horizon: 2 }, { windows: 10, seconds: 1 })).toEqual({
      lookback: 8,
      horizon: 2,
    });
  });

  it('re-derives what a kind derives from the data alone (AR-Net without early stopping)', () => {
    expect(refitConfig('ar-net', { lags: 20 }, { windows: 10, seconds: 1 })).toEqual({ lags: 20 });
  });
});
