import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { ApiError, uploadWithProgress } from '../api';
import { DatasetUpload } from './datasets-upload';

jest.mock('../api', () => ({ ...jest.requireActual('../api'), uploadWithProgress: jest.fn() }));
const upload = uploadWithProgress as jest.MockedFunction<typeof uploadWithProgress>;

const CSV = 'date,value\n2020-01-01,1\n2020-01-02,abc\n2020-01-03,NaN\n';

function chooseFile(text: string, name: string): File {
  const file = new File([text], name, { type: 'text/csv' });
  const input = screen.getByTestId('upload-file');
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
  return file;
}

beforeEach(() => upload.mockReset());

describe('the upload form', () => {
  it('sends the file with its name and format, shows the progress, and hands over the new dataset', async () => {
    const onUploaded = jest.fn();
    let report: (f: number) => void = () => undefined;
    let finish: (d: unknown) => void = () => undefined;
    upload.mockImplementation((_path, _body, _headers, onProgress) => {
      report = onProgress;
      return new Promise((resolve) => (finish = resolve as (d: unknown) => void));
    });
    render(<DatasetUpload onUploaded={onUploaded} />);
    const file = chooseFile(CSV, 'flu.csv');
    // the name comes from the file until the user types one
    expect((screen.getByTestId('upload-name') as HTMLInputElement).value).toBe('flu');
    fireEvent.click(screen.getByTestId('upload-submit'));

    await waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    const [path, body, headers] = upload.mock.calls[0];
    expect(path).toBe('/datasets?name=flu&kind=series&format=csv');
    expect(body).toBe(file);
    expect(headers).toEqual({ 'content-type': 'text/csv' });

    report(0.5);
    await waitFor(() =>
      expect(screen.getByTestId('upload-progress').getAttribute('data-progress')).toBe('50'),
    );
    finish({ id: 'd1', name: 'flu' });
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith({ id: 'd1', name: 'flu' }, 'flu.csv'));
  });

  it("lays a 400's problems out by row and column, the request's own beside its field", async () => {
    upload.mockRejectedValue(
      new ApiError(400, 'validation_failed', 'The data is invalid', [
        { reason: 'NaN is not allowed (or set the nan policy to missing)', row: 3, column: 'value' },
        { reason: "wrong type: 'abc' is not a number", row: 2, column: 'value' },
        { field: 'name', reason: 'name must be shorter than or equal to 200 characters' },
      ] as never),
    );
    render(<DatasetUpload onUploaded={jest.fn()} />);
    chooseFile(CSV, 'flu.csv');
    fireEvent.click(screen.getByTestId('upload-submit'));

    const table = await screen.findByTestId('upload-issues');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['2', 'value', "wrong type: 'abc' is not a number"],
      ['3', 'value', 'NaN is not allowed (or set the nan policy to missing)'],
    ]);
    // the name's problem stands under the name input, not in the table
    const nameField = screen.getByTestId('upload-name').closest('.form-field')!;
    expect(nameField.querySelector('.field-error')?.textContent).toBe(
      'name must be shorter than or equal to 200 characters',
    );
    expect(screen.queryByTestId('upload-progress')).toBeNull();
  });

  it('asks for a file and a name before sending anything', async () => {
    render(<DatasetUpload onUploaded={jest.fn()} />);
    fireEvent.click(screen.getByTestId('upload-submit'));
    expect(await screen.findByText('choose a file to upload')).toBeTruthy();
    chooseFile(CSV, 'flu.csv');
    fireEvent.input(screen.getByTestId('upload-name'), { target: { value: '  ' } });
    fireEvent.click(screen.getByTestId('upload-submit'));
    expect(await screen.findByText('give the dataset a name')).toBeTruthy();
    expect(upload).not.toHaveBeenCalled();
  });
});
