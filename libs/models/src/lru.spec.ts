import { Lru } from './lru';

describe('Lru', () => {
  it('evicts the least recently used entry and reports it', () => {
    const evicted: string[] = [];
    const c = new Lru<string, number>(2, (_v, k) => evicted.push(k));
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect(c.get('b')).toBeUndefined();
    c.set('a', 10); // replacing disposes the old value
    expect(evicted).toEqual(['b', 'a']);
    c.delete('c');
    expect(evicted).toEqual(['b', 'a', 'c']);
    expect(c.size).toBe(1);
  });
});
