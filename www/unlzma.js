// Unpacks the single-file page's WebAssembly: an LZMA stream (.lzma header:
// properties, dictionary size, length) written by examples/single_file.rs.
// The browser's DecompressionStream knows only deflate, and LZMA stores this
// wasm about a fifth smaller than the best deflate (zopfli), which the
// page's size budget needs. Written from the LZMA specification; it reads
// only our own build output, but still stops on any inconsistency rather
// than reading or writing out of bounds.
//
// Speed (the page waits for this; CPU time in Node on this wasm, loaded
// machine): the range decoder's 32-bit state sits in a Uint32Array, since
// in closure variables most of its values need a heap box on every update
// (109 ms that way, 75 ms this way); one big function with that state in
// local variables was slower still (150 ms: long to optimise, deoptimised).
// eslint-disable-next-line no-unused-vars
function __imapDoctorUnlzma(src, size) {
  let inPos = 13;
  const next = () => {
    if (inPos >= src.length) throw new Error("lzma: truncated");
    return src[inPos++];
  };
  let props = src[0];
  if (props >= 225) throw new Error("lzma: bad properties");
  const lc = props % 9;
  props = (props / 9) | 0;
  const lp = props % 5;
  const pb = (props / 5) | 0;
  // One array for every probability, each model at its own offset.
  const IS_MATCH = 0;
  const IS_REP = 192;
  const IS_REP_G0 = 204;
  const IS_REP_G1 = 216;
  const IS_REP_G2 = 228;
  const IS_REP0_LONG = 240;
  const POS_SLOT = 432; // 4 length states x 64
  const SPEC_POS = 688; // 115 probabilities for distances 4..127
  const ALIGN = 803; // 16
  const LEN = 819; // match lengths: choice, choice2, low 16x8, mid 16x8, high 256
  const REP_LEN = LEN + 514;
  const LITERAL = REP_LEN + 514;
  const probs = new Uint16Array(LITERAL + (0x300 << (lc + lp))).fill(1024);
  const out = new Uint8Array(size);

  if (next() !== 0) throw new Error("lzma: bad stream start");
  // The range coder's state as unsigned 32-bit values: kept in a typed
  // array, not variables, so updating them never allocates a number box.
  const rc = new Uint32Array(2); // range, code
  for (let i = 0; i < 4; i++) rc[1] = (rc[1] << 8) | next();
  rc[0] = 0xffffffff;

  const bit = (i) => {
    const p = probs[i];
    const bound = (rc[0] >>> 11) * p;
    let b;
    if (rc[1] < bound) {
      rc[0] = bound;
      probs[i] = p + ((2048 - p) >> 5);
      b = 0;
    } else {
      rc[0] -= bound;
      rc[1] -= bound;
      probs[i] = p - (p >> 5);
      b = 1;
    }
    if (rc[0] < 0x1000000) {
      rc[0] <<= 8;
      // Past the end this reads undefined (as 0): checked once, at the end.
      rc[1] = (rc[1] << 8) | src[inPos++];
    }
    return b;
  };
  const tree = (base, bits) => {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | bit(base + m);
    return m - (1 << bits);
  };
  const reverse = (base, bits) => {
    let m = 1;
    let s = 0;
    for (let i = 0; i < bits; i++) {
      const b = bit(base + m);
      m = (m << 1) | b;
      s |= b << i;
    }
    return s;
  };
  const direct = (bits) => {
    let s = 0;
    for (let i = 0; i < bits; i++) {
      rc[0] >>>= 1;
      let b = 0;
      if (rc[1] >= rc[0]) {
        rc[1] -= rc[0];
        b = 1;
      }
      s = ((s << 1) | b) >>> 0;
      if (rc[0] < 0x1000000) {
        rc[0] <<= 8;
        rc[1] = (rc[1] << 8) | next();
      }
    }
    return s;
  };
  // A length 0..271 (the caller adds the minimum match length, 2).
  const length = (base, posState) => {
    if (bit(base) === 0) return tree(base + 2 + posState * 8, 3);
    if (bit(base + 1) === 0) return 8 + tree(base + 130 + posState * 8, 3);
    return 16 + tree(base + 258, 8);
  };

  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  let pos = 0;
  while (pos < size) {
    const posState = pos & pbMask;
    if (bit(IS_MATCH + (state << 4) + posState) === 0) {
      const prev = pos > 0 ? out[pos - 1] : 0;
      const base = LITERAL + 0x300 * (((pos & lpMask) << lc) + (prev >> (8 - lc)));
      let s = 1;
      if (state >= 7) {
        if (rep0 >= pos) throw new Error("lzma: bad distance");
        let match = out[pos - rep0 - 1];
        while (s < 0x100) {
          const mb = (match >> 7) & 1;
          match <<= 1;
          const b = bit(base + ((1 + mb) << 8) + s);
          s = (s << 1) | b;
          if (b !== mb) break;
        }
      }
      while (s < 0x100) s = (s << 1) | bit(base + s);
      out[pos++] = s & 0xff;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len;
    if (bit(IS_REP + state) === 0) {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(LEN, posState);
      state = state < 7 ? 7 : 10;
      const slot = tree(POS_SLOT + (len < 3 ? len : 3) * 64, 6);
      if (slot < 4) {
        rep0 = slot;
      } else {
        const bits = (slot >> 1) - 1;
        let dist = ((2 | (slot & 1)) << bits) >>> 0;
        if (slot < 14) {
          dist += reverse(SPEC_POS + dist - slot, bits);
        } else {
          dist += direct(bits - 4) * 16;
          dist += reverse(ALIGN, 4);
        }
        rep0 = dist;
      }
      // The end marker: the stream is over (the length said so already).
      if (rep0 === 0xffffffff) break;
    } else {
      if (bit(IS_REP_G0 + state) === 0) {
        if (bit(IS_REP0_LONG + (state << 4) + posState) === 0) {
          if (rep0 >= pos) throw new Error("lzma: bad distance");
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1];
          pos++;
          continue;
        }
      } else {
        let dist;
        if (bit(IS_REP_G1 + state) === 0) {
          dist = rep1;
        } else {
          if (bit(IS_REP_G2 + state) === 0) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = length(REP_LEN, posState);
      state = state < 7 ? 8 : 11;
    }
    if (rep0 >= pos) throw new Error("lzma: bad distance");
    let n = len + 2;
    if (n > size - pos) throw new Error("lzma: too long");
    for (; n > 0; n--, pos++) out[pos] = out[pos - rep0 - 1];
  }
  if (pos !== size || inPos > src.length) throw new Error("lzma: truncated");
  return out;
}
