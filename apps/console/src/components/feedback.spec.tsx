import { render, screen } from '@testing-library/preact';
import { ApiError } from '../api';
import { ErrorBox, ProgressBar } from './feedback';

describe('ErrorBox', () => {
  it('shows the API message and every detail with the field it names', () => {
    const err = new ApiError(400, 'validation_failed', 'invalid model config', [
      { field: 'config.lags', reason: 'must be >= 1' },
      { field: 'column', reason: 'no such column' },
    ]);
    render(<ErrorBox error={err} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('400');
    expect(alert.textContent).toContain('invalid model config');
    expect(alert.querySelectorAll('li')).toHaveLength(2);
    expect(alert.textContent).toContain('config.lags: must be >= 1');
    expect(err.forField('config')).toEqual(['must be >= 1']);
  });
});

describe('ProgressBar', () => {
  it('rounds and clamps the fraction into an accessible percentage', () => {
    render(<ProgressBar fraction={1.2} label="training" />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });
});
