/** describe when a condition holds, else a skipped describe with the reason in its title. */
export function describeIf(condition: boolean, reason: string): jest.Describe {
  if (condition) return describe;
  return ((name: string, fn: jest.EmptyFunction) => xdescribe(`${name} (skipped: ${reason})`, fn)) as unknown as jest.Describe;
}
