/**
 * Just enough of the WebAssembly binary format to assemble the small kernels of
 * wasm-kernels.ts in code (a few hundred bytes, easier to review than a shipped binary):
 * LEB128 numbers, the instructions they use, and a module of i32-parameter functions
 * over an imported memory (env.memory).
 */
export type Code = number[];

/** Concatenates instruction sequences. */
export const code = (...parts: Code[]): Code => parts.flat();

export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vec = (items: Code[]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => vec([...s].map((ch) => [ch.charCodeAt(0)]));
const section = (id: number, body: Code) => [id, ...uleb(body.length), ...body];
const simd = (opcode: number, ...imm: number[]) => [0xfd, ...uleb(opcode), ...imm];

const I32 = 0x7f;
const V128 = 0x7b;

/** v128 with four copies of the float32 x (or of the i32 x when int). */
function v128Const(x: number, int = false): Code {
  const lanes = int ? new Int32Array(4).fill(x) : new Float32Array(4).fill(x);
  return simd(12, ...new Uint8Array(lanes.buffer));
}

export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  geS: [0x4e],
  geU: [0x4f],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f32Load: [0x2a, 2, 0], // align 4, offset 0
  i32Load: [0x28, 2, 0],
  v128Load: (offset: number) => simd(0, 4, ...uleb(offset)),
  v128Store: (offset: number) => simd(11, 4, ...uleb(offset)),
  f32x4: (x: number) => v128Const(x),
  i32x4: (x: number) => v128Const(x, true),
  f32x4Splat: simd(19),
  f32x4Lt: simd(67),
  bitselect: simd(82),
  f32x4Nearest: simd(106),
  i32x4Shl: simd(171),
  i32x4Add: simd(174),
  f32x4Abs: simd(224),
  f32x4Neg: simd(225),
  f32x4Add: simd(228),
  f32x4Sub: simd(229),
  f32x4Mul: simd(230),
  f32x4Div: simd(231),
  f32x4Min: simd(232),
  f32x4Max: simd(233),
  i32x4TruncSatF32x4: simd(248),
};

/** `for (v = from; v < limit; v += step) body` (signed compare) as a block around a loop. */
export function forLoop(v: number, limit: number, step: number, body: Code, from: Code = op.i32(0)): Code {
  const next = code(op.get(v), op.i32(step), op.add, op.set(v));
  return code(
    from,
    op.set(v),
    op.block,
    op.loop,
    op.get(v),
    op.get(limit),
    op.geS,
    op.brIf(1),
    body,
    next,
    op.br(0),
    op.end,
    op.end,
  );
}

/** An exported function of `params` i32 parameters, then i32 and v128 locals, returning nothing. */
export interface WasmFunction {
  name: string;
  params: number;
  i32Locals: number;
  v128Locals: number;
  body: Code;
}

/** A module importing env.memory (at least one page) and exporting the functions. */
export function wasmModule(fns: WasmFunction[]): Uint8Array {
  const arities = [...new Set(fns.map((f) => f.params))];
  const types = arities.map((n) => [0x60, ...vec(new Array<Code>(n).fill([I32])), 0]);
  const bodies = fns.map((f) => {
    const body = code(
      vec([
        [...uleb(f.i32Locals), I32],
        [...uleb(f.v128Locals), V128],
      ]),
      f.body,
      op.end,
    );
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(fns.map((f) => uleb(arities.indexOf(f.params))))),
    ...section(7, vec(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}
