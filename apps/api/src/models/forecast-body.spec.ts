import 'reflect-metadata';
import { validationPipe } from '../http/validation.pipe';
import { plainForecastBody } from './forecast-body';
import { ForecastDto } from './model.dto';

/** What the full validation makes of a body: the DTO, or the error it throws. */
async function validated(body: unknown): Promise<unknown> {
  const pipe = validationPipe();
  // the class-validator path itself, whatever the shortcut says
  const full = Object.getPrototypeOf(Object.getPrototypeOf(pipe)) as { transform: typeof pipe.transform };
  try {
    return await full.transform.call(pipe, body, { type: 'body', metatype: ForecastDto });
  } catch (e) {
    return e;
  }
}

describe('plainForecastBody', () => {
  it.each([
    { horizon: 24 },
    { seriesKey: 'a', horizon: 1 },
    { seriesKey: '', horizon: 96, quantiles: [0, 0.1, 0.9, 1], samples: false },
    { horizon: 3, samples: true, quantiles: [] },
  ])('builds what the validation pipe builds for %j', async (body) => {
    const fast = plainForecastBody(body);
    expect(fast).toBeInstanceOf(ForecastDto);
    const full = await validated(body);
    expect(full).toBeInstanceOf(ForecastDto);
    expect(fast).toEqual(full);
    expect(Object.keys(fast!).sort()).toEqual(Object.keys(full as object).sort());
  });

  it.each([
    {},
    { horizon: 0 },
    { horizon: 1.5 },
    { horizon: '24' },
    { horizon: 24, seriesKey: 7 },
    { horizon: 24, seriesKey: null },
    { horizon: 24, quantiles: [1.1] },
    { horizon: 24, quantiles: [Number.NaN] },
    { horizon: 24, quantiles: 'x' },
    { horizon: 24, samples: 'yes' },
    { horizon: 24, extra: 1 },
    { horizon: 24, context: [1, 2, 3] },
    [24],
    null,
  ])('leaves %j to the full validation', (body) => {
    expect(plainForecastBody(body)).toBeUndefined();
  });

  it('answers through the pipe with the same DTO, and with class-validator errors for the rest', async () => {
    const pipe = validationPipe();
    const meta = { type: 'body' as const, metatype: ForecastDto };
    expect(await pipe.transform({ seriesKey: 'k', horizon: 2 }, meta)).toEqual(Object.assign(new ForecastDto(), { seriesKey: 'k', horizon: 2 }));
    await expect(pipe.transform({ horizon: 0 }, meta)).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'horizon', reason: 'horizon must not be less than 1' }],
    });
    await expect(pipe.transform({ horizon: 2, extra: 1 }, meta)).rejects.toMatchObject({
      details: [{ field: 'extra', reason: 'property extra should not exist' }],
    });
  });
});
