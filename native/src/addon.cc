// N-API glue of seqcast's native kernels: checks every argument (types, and that every
// index a kernel will touch lies inside its array, so a caller's mistake is a JS RangeError
// rather than a crash), then runs the kernel table of the widest instruction set the CPU has.
#include <node_api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kernels.h"

namespace seqcast {
namespace {

// The widest instruction set the CPU has, or a narrower one named by SEQCAST_NATIVE_ISA
// ('avx2', 'base'): how the other variants get tested on a machine with AVX-512.
const Kernels& pick() {
  const char* cap = std::getenv("SEQCAST_NATIVE_ISA");
  const std::string limit = cap ? cap : "";
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if ((limit.empty() || limit == "avx512") && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return kernelsAvx512;
  if (limit != "base" && avx2) return kernelsAvx2;
#endif
  return kernelsBase;
}

const Kernels* K = nullptr;

// One call's arguments, read in order; the first problem is thrown as a JS error and later
// reads return harmless values, so a function checks `ok()` once before running its kernel.
class Args {
 public:
  Args(napi_env env, napi_callback_info info, const char* name) : env_(env), name_(name) {
    size_t argc = 24;
    napi_get_cb_info(env, info, &argc, argv_, nullptr, nullptr);
    argc_ = argc;
  }
  bool ok() const { return ok_; }

  int i32(const char* what) {
    napi_value v = next(what);
    int32_t out = 0;
    if (v && napi_get_value_int32(env_, v, &out) != napi_ok) fail("a number", what);
    return out;
  }
  double f64(const char* what) {
    napi_value v = next(what);
    double out = 0;
    if (v && napi_get_value_double(env_, v, &out) != napi_ok) fail("a number", what);
    return out;
  }
  bool flag(const char* what) {
    napi_value v = next(what);
    bool out = false;
    if (v && napi_get_value_bool(env_, v, &out) != napi_ok) fail("a boolean", what);
    return out;
  }
  template <typename T>
  T* array(napi_typedarray_type type, const char* what, size_t* length) {
    napi_value v = next(what);
    *length = 0;
    if (!v) return nullptr;
    bool is = false;
    napi_is_typedarray(env_, v, &is);
    napi_typedarray_type t;
    void* data = nullptr;
    if (!is || napi_get_typedarray_info(env_, v, &t, length, &data, nullptr, nullptr) != napi_ok || t != type) {
      fail(type == napi_float32_array ? "a Float32Array" : type == napi_float64_array ? "a Float64Array" : "an Int32Array",
           what);
      *length = 0;
      return nullptr;
    }
    return static_cast<T*>(data);
  }
  float* f32s(const char* what, size_t* n) { return array<float>(napi_float32_array, what, n); }
  double* f64s(const char* what, size_t* n) { return array<double>(napi_float64_array, what, n); }
  int32_t* i32s(const char* what, size_t* n) { return array<int32_t>(napi_int32_array, what, n); }

  // The last index [first, last] touched must lie in [0, length) (nothing touched: fine).
  void within(bool any, int64_t first, int64_t last, size_t length, const char* what) {
    if (!ok_ || !any) return;
    if (first < 0 || last >= static_cast<int64_t>(length)) {
      std::string m = std::string(name_) + ": " + what + " reaches index " + std::to_string(first < 0 ? first : last) +
                      " of an array of " + std::to_string(length);
      ok_ = false;
      napi_throw_range_error(env_, nullptr, m.c_str());
    }
  }
  void require(bool cond, const char* message) {
    if (!ok_ || cond) return;
    ok_ = false;
    napi_throw_range_error(env_, nullptr, (std::string(name_) + ": " + message).c_str());
  }

 private:
  napi_value next(const char* what) {
    if (!ok_) return nullptr;
    if (pos_ >= argc_) {
      ok_ = false;
      napi_throw_type_error(env_, nullptr, (std::string(name_) + ": missing argument " + what).c_str());
      return nullptr;
    }
    return argv_[pos_++];
  }
  void fail(const char* expected, const char* what) {
    if (!ok_) return;
    ok_ = false;
    napi_throw_type_error(env_, nullptr, (std::string(name_) + ": " + what + " must be " + expected).c_str());
  }
  napi_env env_;
  const char* name_;
  napi_value argv_[24];
  size_t argc_ = 0;
  size_t pos_ = 0;
  bool ok_ = true;
};

napi_value undefinedOf(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// isa() -> "avx512" | "avx2" | "base"
napi_value Isa(napi_env env, napi_callback_info) {
  napi_value s;
  napi_create_string_utf8(env, K->isa, NAPI_AUTO_LENGTH, &s);
  return s;
}

// gemm(m, n, k, a, aOff, lda, acs, b, bOff, ldb, c, cOff, ldc): c += A b (see kernels.h)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args g(env, info, "gemm");
  const int m = g.i32("m"), n = g.i32("n"), k = g.i32("k");
  size_t na, nb, nc;
  const float* a = g.f32s("a", &na);
  const int aOff = g.i32("aOff"), lda = g.i32("lda"), acs = g.i32("acs");
  const float* b = g.f32s("b", &nb);
  const int bOff = g.i32("bOff"), ldb = g.i32("ldb");
  float* c = g.f32s("c", &nc);
  const int cOff = g.i32("cOff"), ldc = g.i32("ldc");
  g.require(m >= 0 && n >= 0 && k >= 0 && lda >= 0 && acs >= 0 && ldb >= n && ldc >= n, "bad sizes or strides");
  const bool any = m > 0 && n > 0 && k > 0;
  g.within(any, aOff, aOff + int64_t(m - 1) * lda + int64_t(k - 1) * acs, na, "A");
  g.within(any, bOff, bOff + int64_t(k - 1) * ldb + n - 1, nb, "B");
  g.within(any, cOff, cOff + int64_t(m - 1) * ldc + n - 1, nc, "C");
  if (g.ok() && any) K->gemm(m, n, k, a + aOff, lda, acs, b + bOff, ldb, c + cOff, ldc);
  return undefinedOf(env);
}

// exp / tanh / sigmoid / softplus(buf, off, n): in place
template <int Which>
napi_value Map(napi_env env, napi_callback_info info) {
  Args g(env, info, Which == 0 ? "exp" : Which == 1 ? "tanh" : Which == 2 ? "sigmoid" : "softplus");
  size_t len;
  float* x = g.f32s("buf", &len);
  const int off = g.i32("off"), n = g.i32("n");
  g.require(n >= 0, "negative length");
  g.within(n > 0, off, int64_t(off) + n - 1, len, "the range");
  if (!g.ok() || n == 0) return undefinedOf(env);
  (Which == 0 ? K->exp : Which == 1 ? K->tanh : Which == 2 ? K->sigmoid : K->softplus)(x + off, n);
  return undefinedOf(env);
}

// decay(buf, ints, rows, H, offs, ts, d, cb, c, o, e, x, th, h) (KernelArena.decay)
napi_value Decay(napi_env env, napi_callback_info info) {
  Args g(env, info, "decay");
  size_t nb, ni;
  float* buf = g.f32s("buf", &nb);
  const int32_t* ints = g.i32s("ints", &ni);
  const int rows = g.i32("rows"), H = g.i32("H"), offs = g.i32("offs"), ts = g.i32("ts");
  const int d = g.i32("d"), cb = g.i32("cb"), c = g.i32("c"), o = g.i32("o");
  const int e = g.i32("e"), x = g.i32("x"), th = g.i32("th"), h = g.i32("h");
  g.require(rows >= 0 && H >= 0, "negative sizes");
  const bool any = rows > 0 && H > 0;
  g.within(any, offs, int64_t(offs) + rows - 1, ni, "offs");
  g.within(any, ts, int64_t(ts) + rows - 1, nb, "ts");
  for (const int out : {e, x, th, h}) g.within(any, out, int64_t(out) + int64_t(rows) * H - 1, nb, "an output");
  if (g.ok() && any) {
    for (int r = 0; r < rows; r++) {
      const int at = ints[offs + r];
      for (const int in : {d, cb, c, o}) g.within(true, int64_t(in) + at, int64_t(in) + at + H - 1, nb, "a state row");
    }
  }
  if (g.ok() && any) K->decay(buf, ints, rows, H, offs, ts, d, cb, c, o, e, x, th, h);
  return undefinedOf(env);
}

// layerNormForward(x, g, b, d, eps, y, xhat, inv)
napi_value LayerNormForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "layerNormForward");
  size_t nx, ng, nb, ny, nh, ni;
  const float* x = a.f32s("x", &nx);
  const float* g = a.f32s("gamma", &ng);
  const float* b = a.f32s("beta", &nb);
  const int d = a.i32("d");
  const double eps = a.f64("eps");
  float* y = a.f32s("y", &ny);
  float* xhat = a.f32s("xhat", &nh);
  double* inv = a.f64s("inv", &ni);
  a.require(d > 0 && nx % d == 0, "x is not whole rows of d");
  const size_t rows = d > 0 ? nx / d : 0;
  a.require(ng == size_t(d) && nb == size_t(d), "gamma and beta must have d values");
  a.require(ny == nx && nh == nx && ni == rows, "outputs must be y, xhat [rows * d] and inv [rows]");
  if (a.ok()) K->layerNormForward(x, g, b, int(rows), d, eps, y, xhat, inv);
  return undefinedOf(env);
}

// layerNormBackward(gy, g, xhat, inv, d, dx, dg, db)
napi_value LayerNormBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "layerNormBackward");
  size_t ny, ng, nh, ni, nx, ndg, ndb;
  const float* gy = a.f32s("gy", &ny);
  const float* g = a.f32s("gamma", &ng);
  const float* xhat = a.f32s("xhat", &nh);
  const double* inv = a.f64s("inv", &ni);
  const int d = a.i32("d");
  float* dx = a.f32s("dx", &nx);
  double* dg = a.f64s("dg", &ndg);
  double* db = a.f64s("db", &ndb);
  a.require(d > 0 && ny % d == 0, "gy is not whole rows of d");
  const size_t rows = d > 0 ? ny / d : 0;
  a.require(ng == size_t(d) && ndg == size_t(d) && ndb == size_t(d), "gamma, dg and db must have d values");
  a.require(nh == ny && nx == ny && ni == rows, "xhat and dx must match gy, inv must have one value per row");
  if (a.ok()) K->layerNormBackward(gy, g, xhat, inv, int(rows), d, dx, dg, db);
  return undefinedOf(env);
}

// geluForward(x, y, th)
napi_value GeluForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "geluForward");
  size_t nx, ny, nt;
  const float* x = a.f32s("x", &nx);
  float* y = a.f32s("y", &ny);
  float* th = a.f32s("th", &nt);
  a.require(ny == nx && nt == nx, "y and th must be as long as x");
  if (a.ok()) K->geluForward(x, int(nx), y, th);
  return undefinedOf(env);
}

// geluBackward(x, th, gy, dx)
napi_value GeluBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "geluBackward");
  size_t nx, nt, ny, nd;
  const float* x = a.f32s("x", &nx);
  const float* th = a.f32s("th", &nt);
  const float* gy = a.f32s("gy", &ny);
  float* dx = a.f32s("dx", &nd);
  a.require(nt == nx && ny == nx && nd == nx, "th, gy and dx must be as long as x");
  if (a.ok()) K->geluBackward(x, th, gy, int(nx), dx);
  return undefinedOf(env);
}

// The shapes and limits both attention calls share; false (and a thrown error) when wrong.
struct AttentionShape {
  int B, Q, N, d, heads, lstride;
  const int32_t* limits;
  bool nullKey;
};

// heads, limits and nullKey (read in that order) and the checks every attention call
// shares, once B, Q, N and d are read
bool readHeadsAndLimits(Args& a, AttentionShape& s) {
  s.heads = a.i32("heads");
  size_t nl;
  s.limits = a.i32s("limits", &nl);
  s.nullKey = a.flag("nullKey");
  a.require(s.B >= 0 && s.Q >= 0 && s.N >= 0 && s.heads > 0 && s.d > 0 && s.d % s.heads == 0,
            "heads must divide d, sizes must not be negative");
  a.require(nl == size_t(s.Q) || nl == size_t(s.B) * s.Q, "limits must have Q or B * Q values");
  if (!a.ok()) return false;
  s.lstride = nl == size_t(s.Q) ? 0 : s.Q;  // one row of limits shared by every batch row, or one per row
  for (size_t i = 0; i < nl; i++) a.require(s.limits[i] >= -1 && s.limits[i] < s.N, "a limit lies outside keys -1..N-1");
  return a.ok();
}

bool readAttentionShape(Args& a, AttentionShape& s) {
  s.B = a.i32("B");
  s.Q = a.i32("Q");
  s.N = a.i32("N");
  s.d = a.i32("d");
  return readHeadsAndLimits(a, s);
}

// attentionForward(q, k, v, B, Q, N, d, heads, limits, nullKey, out)
napi_value AttentionForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "attentionForward");
  size_t nq, nk, nv, no;
  const float* q = a.f32s("q", &nq);
  const float* k = a.f32s("k", &nk);
  const float* v = a.f32s("v", &nv);
  AttentionShape s;
  if (!readAttentionShape(a, s)) return undefinedOf(env);
  float* out = a.f32s("out", &no);
  const size_t qs = size_t(s.B) * s.Q * s.d, ks = size_t(s.B) * s.N * s.d;
  a.require(nq == qs && no == qs && nk == ks && nv == ks, "q and out must be [B, Q, d], k and v [B, N, d]");
  if (a.ok()) K->attentionForward(q, k, v, s.B, s.Q, s.N, s.d, s.heads, s.limits, s.lstride, s.nullKey, out);
  return undefinedOf(env);
}

// attentionBackward(q, k, v, g, B, Q, N, d, heads, limits, nullKey, dq, dk, dv)
napi_value AttentionBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "attentionBackward");
  size_t nq, nk, nv, ng, ndq, ndk, ndv;
  const float* q = a.f32s("q", &nq);
  const float* k = a.f32s("k", &nk);
  const float* v = a.f32s("v", &nv);
  const float* g = a.f32s("g", &ng);
  AttentionShape s;
  if (!readAttentionShape(a, s)) return undefinedOf(env);
  float* dq = a.f32s("dq", &ndq);
  float* dk = a.f32s("dk", &ndk);
  float* dv = a.f32s("dv", &ndv);
  const size_t qs = size_t(s.B) * s.Q * s.d, ks = size_t(s.B) * s.N * s.d;
  a.require(nq == qs && ng == qs && ndq == qs && nk == ks && nv == ks && ndk == ks && ndv == ks,
            "q, g and dq must be [B, Q, d], k, v, dk and dv [B, N, d]");
  if (a.ok())
    K->attentionBackward(q, k, v, g, s.B, s.Q, s.N, s.d, s.heads, s.limits, s.lstride, s.nullKey, dq, dk, dv);
  return undefinedOf(env);
}

// The encoder layer's shapes: B, T, d, F, heads, limits, nullKey (limits as for attention, Q = N = T).
struct EncoderShape {
  AttentionShape at;
  int F;
  size_t N, weights, saved;
};

bool readEncoderShape(Args& a, EncoderShape& e) {
  AttentionShape& s = e.at;
  s.B = a.i32("B");
  s.Q = s.N = a.i32("T");  // self-attention: queries and keys are the T positions
  s.d = a.i32("d");
  e.F = a.i32("F");
  if (!readHeadsAndLimits(a, s)) return false;
  a.require(e.F > 0, "F must be positive");
  const size_t d = s.d, F = e.F;
  e.N = size_t(s.B) * s.Q;
  e.weights = 4 * d * d + 2 * d * F + 9 * d + F;  // EncoderLayout
  e.saved = 7 * e.N * d + 3 * e.N * F;
  return a.ok();
}

// encoderForward(x, w, B, T, d, F, heads, limits, nullKey, y, saved, invs)
napi_value EncoderForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "encoderForward");
  size_t nx, nw, ny, ns, ni;
  const float* x = a.f32s("x", &nx);
  const float* w = a.f32s("w", &nw);
  EncoderShape e;
  if (!readEncoderShape(a, e)) return undefinedOf(env);
  float* y = a.f32s("y", &ny);
  float* saved = a.f32s("saved", &ns);
  double* invs = a.f64s("invs", &ni);
  const size_t Nd = e.N * e.at.d;
  a.require(nx == Nd && ny == Nd, "x and y must be [B, T, d]");
  a.require(nw == e.weights, "w must hold the layer's weights (4 d d + 2 d F + 9 d + F)");
  a.require(ns == e.saved && ni == 2 * e.N, "saved must be 7 N d + 3 N F floats and invs 2 N");
  const AttentionShape& s = e.at;
  if (a.ok()) K->encoderForward(x, w, s.B, s.Q, s.d, e.F, s.heads, s.limits, s.lstride, s.nullKey, y, saved, invs);
  return undefinedOf(env);
}

// encoderBackward(gy, x, w, B, T, d, F, heads, limits, nullKey, saved, invs, dx, dw)
napi_value EncoderBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "encoderBackward");
  size_t ng, nx, nw, ns, ni, ndx, ndw;
  const float* gy = a.f32s("gy", &ng);
  const float* x = a.f32s("x", &nx);
  const float* w = a.f32s("w", &nw);
  EncoderShape e;
  if (!readEncoderShape(a, e)) return undefinedOf(env);
  const float* saved = a.f32s("saved", &ns);
  const double* invs = a.f64s("invs", &ni);
  float* dx = a.f32s("dx", &ndx);
  float* dw = a.f32s("dw", &ndw);
  const size_t Nd = e.N * e.at.d;
  a.require(ng == Nd && nx == Nd && ndx == Nd, "gy, x and dx must be [B, T, d]");
  a.require(nw == e.weights && ndw == e.weights, "w and dw must hold the layer's weights (4 d d + 2 d F + 9 d + F)");
  a.require(ns == e.saved && ni == 2 * e.N, "saved must be 7 N d + 3 N F floats and invs 2 N");
  const AttentionShape& s = e.at;
  if (a.ok())
    K->encoderBackward(gy, x, w, s.B, s.Q, s.d, e.F, s.heads, s.limits, s.lstride, s.nullKey, saved, invs, dx, dw);
  return undefinedOf(env);
}

// sahpForward(mu, eta, gamma, dt, W, b, S, pre, lambda): BP = dt.length / S, d = W rows, K = b.length
// sahpBackward(g, mu, eta, gamma, dt, W, pre, S, dmu, deta, dgamma, ddt, dW, db)
struct SahpShape {
  int BP, S, d, K;
};

bool checkSahp(Args& a, SahpShape& s, size_t nmu, size_t neta, size_t ngam, size_t ndt, size_t nW, size_t nb) {
  a.require(s.S > 0 && ndt % size_t(s.S) == 0, "dt must be whole rows of S gaps");
  if (!a.ok()) return false;
  s.BP = int(ndt / s.S);
  s.K = int(nb);
  s.d = s.K > 0 ? int(nW / s.K) : 0;
  a.require(s.K > 0 && nW == size_t(s.d) * s.K && s.d > 0, "W must be [d, K] for K = b's length");
  a.require(nmu == size_t(s.BP) * s.d && neta == nmu && ngam == nmu, "mu, eta and gamma must be [B P, d]");
  return a.ok();
}

napi_value SahpForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "sahpForward");
  size_t nmu, neta, ngam, ndt, nW, nb, npre, nl;
  const float* mu = a.f32s("mu", &nmu);
  const float* eta = a.f32s("eta", &neta);
  const float* gamma = a.f32s("gamma", &ngam);
  const float* dt = a.f32s("dt", &ndt);
  const float* W = a.f32s("W", &nW);
  const float* b = a.f32s("b", &nb);
  SahpShape s;
  s.S = a.i32("S");
  float* pre = a.f32s("pre", &npre);
  float* lambda = a.f32s("lambda", &nl);
  if (!a.ok() || !checkSahp(a, s, nmu, neta, ngam, ndt, nW, nb)) return undefinedOf(env);
  a.require(npre == ndt * s.K && nl == npre, "pre and lambda must be [B P S, K]");
  if (a.ok()) K->sahpForward(mu, eta, gamma, dt, W, b, s.BP, s.S, s.d, s.K, pre, lambda);
  return undefinedOf(env);
}

napi_value SahpBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "sahpBackward");
  size_t ng, nmu, neta, ngam, ndt, nW, npre, n1, n2, n3, n4, n5, n6;
  const float* g = a.f32s("g", &ng);
  const float* mu = a.f32s("mu", &nmu);
  const float* eta = a.f32s("eta", &neta);
  const float* gamma = a.f32s("gamma", &ngam);
  const float* dt = a.f32s("dt", &ndt);
  const float* W = a.f32s("W", &nW);
  const float* pre = a.f32s("pre", &npre);
  SahpShape s;
  s.S = a.i32("S");
  float* dmu = a.f32s("dmu", &n1);
  float* deta = a.f32s("deta", &n2);
  float* dgamma = a.f32s("dgamma", &n3);
  float* ddt = a.f32s("ddt", &n4);
  float* dW = a.f32s("dW", &n5);
  float* db = a.f32s("db", &n6);
  if (!a.ok() || !checkSahp(a, s, nmu, neta, ngam, ndt, nW, n6)) return undefinedOf(env);
  a.require(npre == ndt * s.K && ng == npre, "pre and g must be [B P S, K]");
  a.require(n1 == nmu && n2 == nmu && n3 == nmu && n4 == ndt && n5 == nW, "gradients must match their inputs");
  if (a.ok()) K->sahpBackward(g, mu, eta, gamma, dt, W, pre, s.BP, s.S, s.d, s.K, dmu, deta, dgamma, ddt, dW, db);
  return undefinedOf(env);
}

// thpForward(base, denom, dt, alpha, logBeta, pre, lambda): BP = denom.length, S = dt.length / BP, K = alpha.length
napi_value ThpForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "thpForward");
  size_t nb, nd, nt, na, nl, np, nlam;
  const float* base = a.f32s("base", &nb);
  const float* denom = a.f32s("denom", &nd);
  const float* dt = a.f32s("dt", &nt);
  const float* alpha = a.f32s("alpha", &na);
  const float* logBeta = a.f32s("logBeta", &nl);
  float* pre = a.f32s("pre", &np);
  float* lambda = a.f32s("lambda", &nlam);
  a.require(na > 0 && nl == na && nd > 0 && nb == nd * na && nt % nd == 0,
            "base must be [B P, K], denom [B P], dt [B P, S], alpha and logBeta [K]");
  a.require(np == nt * na && nlam == np, "pre and lambda must be [B P S, K]");
  if (a.ok()) K->thpForward(base, denom, dt, alpha, logBeta, int(nd), int(nt / nd), int(na), pre, lambda);
  return undefinedOf(env);
}

// thpBackward(g, denom, dt, alpha, logBeta, pre, lambda, dBase, dDenom, dDt, dAlpha, dLogBeta)
napi_value ThpBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "thpBackward");
  size_t ng, nd, nt, na, nl, np, nlam, n1, n2, n3, n4, n5;
  const float* g = a.f32s("g", &ng);
  const float* denom = a.f32s("denom", &nd);
  const float* dt = a.f32s("dt", &nt);
  const float* alpha = a.f32s("alpha", &na);
  const float* logBeta = a.f32s("logBeta", &nl);
  const float* pre = a.f32s("pre", &np);
  const float* lambda = a.f32s("lambda", &nlam);
  float* dBase = a.f32s("dBase", &n1);
  float* dDenom = a.f32s("dDenom", &n2);
  float* dDt = a.f32s("dDt", &n3);
  float* dAlpha = a.f32s("dAlpha", &n4);
  float* dLogBeta = a.f32s("dLogBeta", &n5);
  a.require(na > 0 && nl == na && nd > 0 && nt % nd == 0, "denom must be [B P], dt [B P, S], alpha and logBeta [K]");
  a.require(np == nt * na && nlam == np && ng == np, "g, pre and lambda must be [B P S, K]");
  a.require(n1 == nd * na && n2 == nd && n3 == nt && n4 == na && n5 == na, "gradients must match their inputs");
  if (a.ok())
    K->thpBackward(g, denom, dt, alpha, logBeta, pre, lambda, int(nd), int(nt / nd), int(na), dBase, dDenom, dDt,
                   dAlpha, dLogBeta);
  return undefinedOf(env);
}

// The recurrences' shapes: gru, B, T, H, active [T] (non-increasing, each in 0..B).
struct RnnShape {
  bool gru;
  int B, T, H, GH;
  const int32_t* active;
};

bool readRnnShape(Args& a, RnnShape& s) {
  s.gru = a.flag("gru");
  s.B = a.i32("B");
  s.T = a.i32("T");
  s.H = a.i32("H");
  size_t na;
  s.active = a.i32s("active", &na);
  a.require(s.B >= 0 && s.T >= 0 && s.H > 0 && na == size_t(s.T), "B, T must not be negative, H positive, active [T]");
  if (!a.ok()) return false;
  for (int t = 0; t < s.T; t++)
    a.require(s.active[t] >= 0 && s.active[t] <= s.B && (t == 0 || s.active[t] <= s.active[t - 1]),
              "active must be non-increasing counts in 0..B");
  s.GH = (s.gru ? 3 : 1) * s.H;
  return a.ok();
}

// rnnForward(gru, B, T, H, active, x, U, hs, z, r, n, hn): z, r, n, hn may be empty for a plain RNN
napi_value RnnForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "rnnForward");
  RnnShape s;
  if (!readRnnShape(a, s)) return undefinedOf(env);
  size_t nx, nu, nh, nz, nr, nn, nhn;
  const float* x = a.f32s("x", &nx);
  const float* U = a.f32s("U", &nu);
  float* hs = a.f32s("hs", &nh);
  float* z = a.f32s("z", &nz);
  float* r = a.f32s("r", &nr);
  float* n = a.f32s("n", &nn);
  float* hn = a.f32s("hn", &nhn);
  const size_t N = size_t(s.T) * s.B * s.H;
  a.require(nx == size_t(s.T) * s.B * s.GH && nu == size_t(s.H) * s.GH && nh == N, "x must be [T, B, G H], U [H, G H], hs [T, B, H]");
  a.require(!s.gru || (nz == N && nr == N && nn == N && nhn == N), "a GRU's z, r, n and hn must be [T, B, H]");
  if (a.ok()) K->rnnForward(s.gru, x, U, s.active, s.B, s.T, s.H, hs, z, r, n, hn);
  return undefinedOf(env);
}

// rnnBackward(gru, B, T, H, active, gH, U, hs, z, r, n, hn, dX, dU)
napi_value RnnBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "rnnBackward");
  RnnShape s;
  if (!readRnnShape(a, s)) return undefinedOf(env);
  size_t ng, nu, nh, nz, nr, nn, nhn, ndx, ndu;
  float* gH = a.f32s("gH", &ng);
  const float* U = a.f32s("U", &nu);
  const float* hs = a.f32s("hs", &nh);
  const float* z = a.f32s("z", &nz);
  const float* r = a.f32s("r", &nr);
  const float* n = a.f32s("n", &nn);
  const float* hn = a.f32s("hn", &nhn);
  float* dX = a.f32s("dX", &ndx);
  float* dU = a.f32s("dU", &ndu);
  const size_t N = size_t(s.T) * s.B * s.H;
  a.require(ng == N && nh == N && nu == size_t(s.H) * s.GH, "gH and hs must be [T, B, H], U [H, G H]");
  a.require(!s.gru || (nz == N && nr == N && nn == N && nhn == N), "a GRU's z, r, n and hn must be [T, B, H]");
  a.require(ndx == size_t(s.T) * s.B * s.GH && ndu == nu, "dX must be [T, B, G H] and dU as U");
  if (a.ok()) K->rnnBackward(s.gru, gH, U, s.active, s.B, s.T, s.H, hs, z, r, n, hn, dX, dU);
  return undefinedOf(env);
}

// IntensityFree's shared checks once K is known: the mixtures match raw, and store holds
// ifWidth values for every scored position (next type in 0..K-1).
void checkIfShapes(Args& a, const IfShape& s, size_t BP, size_t nraw, const int32_t* types, size_t nstore) {
  a.require(s.J > 0 && s.M > 0 && (s.J == 1 || s.J == s.K) && nraw == BP * s.J * 3 * s.M,
            "raw must be [B P, J, 3, M] with J 1 or K");
  size_t scored = 0;
  for (size_t p = 0; p < BP; p++) scored += types[p] >= 0 && types[p] < s.K;
  a.require(nstore == scored * size_t(ifWidth(s)), "store must hold (6 J M + K + J) values per scored position");
}

// ifForward(raw, logits, gaps, types, J, M, mean, std, out, store); BP = gaps.length, K = logits.length / BP
napi_value IfForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "ifForward");
  size_t nr, nl, ng, nt, no, ns;
  const float* raw = a.f32s("raw", &nr);
  const float* logits = a.f32s("logits", &nl);
  const float* gaps = a.f32s("gaps", &ng);
  const int32_t* types = a.i32s("types", &nt);
  IfShape s;
  s.J = a.i32("J");
  s.M = a.i32("M");
  s.mean = a.f64("mean");
  s.std = a.f64("std");
  float* out = a.f32s("out", &no);
  float* store = a.f32s("store", &ns);
  a.require(ng > 0 && nl % ng == 0 && nt == ng, "gaps and types must be [B P], logits [B P, K]");
  if (!a.ok()) return undefinedOf(env);
  s.K = int(nl / ng);
  a.require(s.std > 0 && no == 2 * ng, "std must be positive, out [2, B P]");
  checkIfShapes(a, s, ng, nr, types, ns);
  if (a.ok()) K->ifForward(raw, logits, gaps, types, int(ng), s, out, store);
  return undefinedOf(env);
}

// ifBackward(g, raw, types, J, M, store, dRaw, dLogits): dRaw and dLogits accumulated (pass zeros)
napi_value IfBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "ifBackward");
  size_t ng, nr, nt, ns, ndr, ndl;
  const float* g = a.f32s("g", &ng);
  const float* raw = a.f32s("raw", &nr);
  const int32_t* types = a.i32s("types", &nt);
  IfShape s;
  s.J = a.i32("J");
  s.M = a.i32("M");
  s.mean = 0;
  s.std = 1;
  const float* store = a.f32s("store", &ns);
  float* dRaw = a.f32s("dRaw", &ndr);
  float* dLogits = a.f32s("dLogits", &ndl);
  a.require(nt > 0 && ng == 2 * nt && ndl % nt == 0, "types must be [B P], g [2, B P], dLogits [B P, K]");
  if (!a.ok()) return undefinedOf(env);
  s.K = int(ndl / nt);
  a.require(ndr == nr, "dRaw must match raw");
  checkIfShapes(a, s, nt, nr, types, ns);
  if (a.ok()) K->ifBackward(g, raw, types, int(nt), s, store, dRaw, dLogits);
  return undefinedOf(env);
}

// The step plan and inputs both step calls share: B, T, G, order [B] (a permutation),
// active [T] (non-increasing, in 0..B), ids [B T] (each a row of a table of V rows), feats
// [B T F] and featW [F G] (both empty when F = 0); ids are checked against V by the callers.
struct StepShape {
  int B, T, G, F;
  const int32_t* order;
  const int32_t* active;
  const int32_t* ids;
  const float* feats;
};

bool readStepShape(Args& a, StepShape& s) {
  s.B = a.i32("B");
  s.T = a.i32("T");
  s.G = a.i32("G");
  s.F = a.i32("F");
  size_t no, na, ni, nf;
  s.order = a.i32s("order", &no);
  s.active = a.i32s("active", &na);
  s.ids = a.i32s("ids", &ni);
  s.feats = a.f32s("feats", &nf);
  a.require(s.B >= 0 && s.T >= 0 && s.G > 0 && s.F >= 0, "sizes must not be negative");
  a.require(no == size_t(s.B) && na == size_t(s.T) && ni == size_t(s.B) * s.T && nf == ni * s.F,
            "order must be [B], active [T], ids [B, T], feats [B, T, F]");
  if (!a.ok()) return false;
  for (int r = 0; r < s.B; r++) a.require(s.order[r] >= 0 && s.order[r] < s.B, "order must hold batch rows");
  for (int t = 0; t < s.T; t++)
    a.require(s.active[t] >= 0 && s.active[t] <= s.B && (t == 0 || s.active[t] <= s.active[t - 1]),
              "active must be non-increasing counts in 0..B");
  for (size_t i = 0; a.ok() && i < ni; i++) a.require(s.ids[i] >= 0, "an id lies outside the table");
  return a.ok();
}

// stepRead(B, T, G, F, order, active, ids, feats, table, featW, x)
napi_value StepRead(napi_env env, napi_callback_info info) {
  Args a(env, info, "stepRead");
  StepShape s;
  if (!readStepShape(a, s)) return undefinedOf(env);  // ids are checked against the table's rows below
  size_t nt, nw, nx;
  const float* table = a.f32s("table", &nt);
  const float* featW = a.f32s("featW", &nw);
  float* x = a.f32s("x", &nx);
  a.require(nt % size_t(s.G) == 0 && nw == size_t(s.F) * s.G && nx == size_t(s.T) * s.B * s.G,
            "table must be [V, G], featW [F, G], x [T, B, G]");
  const size_t V = s.G > 0 ? nt / s.G : 0;
  for (size_t i = 0; a.ok() && i < size_t(s.B) * s.T; i++) a.require(size_t(s.ids[i]) < V, "an id lies outside the table");
  if (a.ok()) K->stepRead(s.ids, table, s.feats, featW, s.F, s.order, s.active, s.B, s.T, s.G, x);
  return undefinedOf(env);
}

// stepAccumulate(B, T, G, F, order, active, ids, feats, dX, gTable, gW)
napi_value StepAccumulate(napi_env env, napi_callback_info info) {
  Args a(env, info, "stepAccumulate");
  StepShape s;
  if (!readStepShape(a, s)) return undefinedOf(env);
  size_t nx, nt, nw;
  const float* dX = a.f32s("dX", &nx);
  double* gTable = a.f64s("gTable", &nt);
  double* gW = a.f64s("gW", &nw);
  a.require(nt % size_t(s.G) == 0 && nw == size_t(s.F) * s.G && nx == size_t(s.T) * s.B * s.G,
            "gTable must be [V, G], gW [F, G], dX [T, B, G]");
  const size_t V = s.G > 0 ? nt / s.G : 0;
  for (size_t i = 0; a.ok() && i < size_t(s.B) * s.T; i++) a.require(size_t(s.ids[i]) < V, "an id lies outside the table");
  if (a.ok()) K->stepAccumulate(s.ids, s.feats, s.F, s.order, s.active, s.B, s.T, s.G, dX, gTable, gW);
  return undefinedOf(env);
}

// temporalEncoding(ts, d, out): out [ts.length, d]
napi_value TemporalEncoding(napi_env env, napi_callback_info info) {
  Args a(env, info, "temporalEncoding");
  size_t nt, no;
  const float* ts = a.f32s("ts", &nt);
  const int d = a.i32("d");
  float* out = a.f32s("out", &no);
  a.require(d > 0 && no == nt * size_t(d), "out must be [ts.length, d] for a positive d");
  if (a.ok()) K->temporalEncoding(ts, int(nt), d, out);
  return undefinedOf(env);
}

// The shapes both THP terms calls share: BP = gaps.length, G = u.length / BP, K = alpha.length.
struct ThpTermsShape {
  int BP, G, K;
};

bool checkThpTerms(Args& a, ThpTermsShape& s, size_t ndenom, size_t ngaps, size_t ntypes, size_t nu, size_t nalpha,
                   size_t nlogBeta, const int32_t* types) {
  a.require(ngaps > 0 && ndenom == ngaps && ntypes == ngaps && nu % ngaps == 0 && nu > 0,
            "denom, gaps and types must be [B P], u [B P, G] with G > 0");
  a.require(nalpha > 0 && nlogBeta == nalpha, "alpha and logBeta must be [K]");
  if (!a.ok()) return false;
  s = {int(ngaps), int(nu / ngaps), int(nalpha)};
  for (size_t p = 0; p < ntypes; p++) a.require(types[p] >= 0 && types[p] <= s.K, "a type lies outside 0..K");
  return a.ok();
}

// thpTermsForward(base, denom, gaps, types, u, alpha, logBeta, out, pre, lambda)
napi_value ThpTermsForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "thpTermsForward");
  size_t nb, nd, ng, nt, nu, na, nl, no, np, nlam;
  const float* base = a.f32s("base", &nb);
  const float* denom = a.f32s("denom", &nd);
  const float* gaps = a.f32s("gaps", &ng);
  const int32_t* types = a.i32s("types", &nt);
  const float* u = a.f32s("u", &nu);
  const float* alpha = a.f32s("alpha", &na);
  const float* logBeta = a.f32s("logBeta", &nl);
  float* out = a.f32s("out", &no);
  float* pre = a.f32s("pre", &np);
  float* lambda = a.f32s("lambda", &nlam);
  ThpTermsShape s;
  if (!a.ok() || !checkThpTerms(a, s, nd, ng, nt, nu, na, nl, types)) return undefinedOf(env);
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  a.require(nb == size_t(s.BP) * s.K && no == 2 * size_t(s.BP) && np == kept && nlam == kept,
            "base must be [B P, K], out [2, B P], pre and lambda [B P (G + 1) K]");
  if (a.ok()) K->thpTermsForward(base, denom, gaps, types, u, alpha, logBeta, s.BP, s.G, s.K, out, pre, lambda);
  return undefinedOf(env);
}

// thpTermsBackward(g, denom, gaps, types, u, alpha, logBeta, pre, lambda, dBase, dDenom, dAlpha, dLogBeta)
napi_value ThpTermsBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "thpTermsBackward");
  size_t ngr, nd, ng, nt, nu, na, nl, np, nlam, n1, n2, n3, n4;
  const float* g = a.f32s("g", &ngr);
  const float* denom = a.f32s("denom", &nd);
  const float* gaps = a.f32s("gaps", &ng);
  const int32_t* types = a.i32s("types", &nt);
  const float* u = a.f32s("u", &nu);
  const float* alpha = a.f32s("alpha", &na);
  const float* logBeta = a.f32s("logBeta", &nl);
  const float* pre = a.f32s("pre", &np);
  const float* lambda = a.f32s("lambda", &nlam);
  float* dBase = a.f32s("dBase", &n1);
  float* dDenom = a.f32s("dDenom", &n2);
  float* dAlpha = a.f32s("dAlpha", &n3);
  float* dLogBeta = a.f32s("dLogBeta", &n4);
  ThpTermsShape s;
  if (!a.ok() || !checkThpTerms(a, s, nd, ng, nt, nu, na, nl, types)) return undefinedOf(env);
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  a.require(ngr == 2 * size_t(s.BP) && np == kept && nlam == kept, "g must be [2, B P], pre and lambda the forward's");
  a.require(n1 == size_t(s.BP) * s.K && n2 == size_t(s.BP) && n3 == size_t(s.K) && n4 == size_t(s.K),
            "gradients must match their inputs");
  if (a.ok())
    K->thpTermsBackward(g, denom, gaps, types, u, alpha, logBeta, pre, lambda, s.BP, s.G, s.K, dBase, dDenom, dAlpha,
                        dLogBeta);
  return undefinedOf(env);
}

// The shapes both SAHP terms calls share: BP = gaps.length, G = u.length / BP, K = b.length, d = W rows.
struct SahpTermsShape {
  int BP, G, d, K;
};

bool checkSahpTerms(Args& a, SahpTermsShape& s, size_t nmu, size_t neta, size_t ngam, size_t ngaps, size_t ntypes,
                    size_t nu, size_t nW, size_t nb, const int32_t* types) {
  a.require(ngaps > 0 && ntypes == ngaps && nu % ngaps == 0 && nu > 0, "gaps and types must be [B P], u [B P, G], G > 0");
  a.require(nb > 0 && nW % nb == 0 && nW > 0, "W must be [d, K] for K = b's length");
  if (!a.ok()) return false;
  s = {int(ngaps), int(nu / ngaps), int(nW / nb), int(nb)};
  a.require(nmu == size_t(s.BP) * s.d && neta == nmu && ngam == nmu, "mu, eta and gamma must be [B P, d]");
  for (size_t p = 0; p < ntypes && a.ok(); p++) a.require(types[p] >= 0 && types[p] <= s.K, "a type lies outside 0..K");
  return a.ok();
}

// sahpTermsForward(mu, eta, gamma, gaps, types, u, W, b, out, pre, lambda)
napi_value SahpTermsForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "sahpTermsForward");
  size_t nmu, neta, ngam, ng, nt, nu, nW, nb, no, np, nlam;
  const float* mu = a.f32s("mu", &nmu);
  const float* eta = a.f32s("eta", &neta);
  const float* gamma = a.f32s("gamma", &ngam);
  const float* gaps = a.f32s("gaps", &ng);
  const int32_t* types = a.i32s("types", &nt);
  const float* u = a.f32s("u", &nu);
  const float* W = a.f32s("W", &nW);
  const float* b = a.f32s("b", &nb);
  float* out = a.f32s("out", &no);
  float* pre = a.f32s("pre", &np);
  float* lambda = a.f32s("lambda", &nlam);
  SahpTermsShape s;
  if (!a.ok() || !checkSahpTerms(a, s, nmu, neta, ngam, ng, nt, nu, nW, nb, types)) return undefinedOf(env);
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  a.require(no == 2 * size_t(s.BP) && np == kept && nlam == kept, "out must be [2, B P], pre and lambda [B P (G + 1) K]");
  if (a.ok()) K->sahpTermsForward(mu, eta, gamma, gaps, types, u, W, b, s.BP, s.G, s.d, s.K, out, pre, lambda);
  return undefinedOf(env);
}

// sahpTermsBackward(g, mu, eta, gamma, gaps, types, u, W, pre, lambda, dmu, deta, dgamma, dW, db)
napi_value SahpTermsBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "sahpTermsBackward");
  size_t ngr, nmu, neta, ngam, ng, nt, nu, nW, np, nlam, n1, n2, n3, n4, n5;
  const float* g = a.f32s("g", &ngr);
  const float* mu = a.f32s("mu", &nmu);
  const float* eta = a.f32s("eta", &neta);
  const float* gamma = a.f32s("gamma", &ngam);
  const float* gaps = a.f32s("gaps", &ng);
  const int32_t* types = a.i32s("types", &nt);
  const float* u = a.f32s("u", &nu);
  const float* W = a.f32s("W", &nW);
  const float* pre = a.f32s("pre", &np);
  const float* lambda = a.f32s("lambda", &nlam);
  float* dmu = a.f32s("dmu", &n1);
  float* deta = a.f32s("deta", &n2);
  float* dgamma = a.f32s("dgamma", &n3);
  float* dW = a.f32s("dW", &n4);
  float* db = a.f32s("db", &n5);
  SahpTermsShape s;
  if (!a.ok() || !checkSahpTerms(a, s, nmu, neta, ngam, ng, nt, nu, nW, n5, types)) return undefinedOf(env);
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  a.require(ngr == 2 * size_t(s.BP) && np == kept && nlam == kept, "g must be [2, B P], pre and lambda the forward's");
  a.require(n1 == nmu && n2 == nmu && n3 == nmu && n4 == nW, "gradients must match their inputs");
  if (a.ok())
    K->sahpTermsBackward(g, mu, eta, gamma, gaps, types, u, W, pre, lambda, s.BP, s.G, s.d, s.K, dmu, deta, dgamma, dW,
                         db);
  return undefinedOf(env);
}

// sahpHeadsForward(h, w, d, mu, eta, gamma, saved): BP = h.length / d, w [3 d d + 3 d]
// sahpHeadsBackward(h, w, saved, dmu, deta, dgamma, d, dh, dw)
bool checkSahpHeads(Args& a, int d, size_t nh, size_t nw, size_t nsaved, int& BP) {
  a.require(d > 0 && nh % size_t(d) == 0 && nh > 0, "h must be [B P, d] for a positive d");
  a.require(nw == 3 * size_t(d) * d + 3 * size_t(d), "w must be Wmu, Weta, Wgamma [d, d] and their biases [d]");
  a.require(nsaved == 4 * nh, "saved must be [4, B P, d]");
  BP = d > 0 ? int(nh / size_t(d)) : 0;
  return a.ok();
}

napi_value SahpHeadsForward(napi_env env, napi_callback_info info) {
  Args a(env, info, "sahpHeadsForward");
  size_t nh, nw, n1, n2, n3, ns;
  const float* h = a.f32s("h", &nh);
  const float* w = a.f32s("w", &nw);
  const int d = a.i32("d");
  float* mu = a.f32s("mu", &n1);
  float* eta = a.f32s("eta", &n2);
  float* gamma = a.f32s("gamma", &n3);
  float* saved = a.f32s("saved", &ns);
  int BP = 0;
  if (!a.ok() || !checkSahpHeads(a, d, nh, nw, ns, BP)) return undefinedOf(env);
  a.require(n1 == nh && n2 == nh && n3 == nh, "mu, eta and gamma must be [B P, d]");
  if (a.ok()) K->sahpHeadsForward(h, w, BP, d, mu, eta, gamma, saved);
  return undefinedOf(env);
}

napi_value SahpHeadsBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "sahpHeadsBackward");
  size_t nh, nw, ns, n1, n2, n3, ndh, ndw;
  const float* h = a.f32s("h", &nh);
  const float* w = a.f32s("w", &nw);
  const float* saved = a.f32s("saved", &ns);
  const float* dmu = a.f32s("dmu", &n1);
  const float* deta = a.f32s("deta", &n2);
  const float* dgamma = a.f32s("dgamma", &n3);
  const int d = a.i32("d");
  float* dh = a.f32s("dh", &ndh);
  float* dw = a.f32s("dw", &ndw);
  int BP = 0;
  if (!a.ok() || !checkSahpHeads(a, d, nh, nw, ns, BP)) return undefinedOf(env);
  a.require(n1 == nh && n2 == nh && n3 == nh && ndh == nh && ndw == nw, "gradients must match their inputs");
  if (a.ok()) K->sahpHeadsBackward(h, w, saved, dmu, deta, dgamma, BP, d, dh, dw);
  return undefinedOf(env);
}

// stepRows(B, T, W, order, active, src, dst, inverse)
napi_value StepRows(napi_env env, napi_callback_info info) {
  Args a(env, info, "stepRows");
  const int B = a.i32("B"), T = a.i32("T"), W = a.i32("W");
  size_t no, na, ns, nd;
  const int32_t* order = a.i32s("order", &no);
  const int32_t* active = a.i32s("active", &na);
  const float* src = a.f32s("src", &ns);
  float* dst = a.f32s("dst", &nd);
  const bool inverse = a.flag("inverse");
  const size_t n = size_t(B) * T * W;
  a.require(B >= 0 && T >= 0 && W > 0 && no == size_t(B) && na == size_t(T) && ns == n && nd == n,
            "order must be [B], active [T], src and dst [B T W]");
  for (int r = 0; a.ok() && r < B; r++) a.require(order[r] >= 0 && order[r] < B, "order must hold batch rows");
  for (int t = 0; a.ok() && t < T; t++) a.require(active[t] >= 0 && active[t] <= B, "active counts must be in 0..B");
  if (a.ok()) K->stepRows(order, active, B, T, W, src, dst, inverse);
  return undefinedOf(env);
}

napi_value Init(napi_env env, napi_value exports) {
  K = &pick();
  const napi_property_descriptor props[] = {
      {"isa", nullptr, Isa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"exp", nullptr, Map<0>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"tanh", nullptr, Map<1>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sigmoid", nullptr, Map<2>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softplus", nullptr, Map<3>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"decay", nullptr, Decay, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormForward", nullptr, LayerNormForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormBackward", nullptr, LayerNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"geluForward", nullptr, GeluForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"geluBackward", nullptr, GeluBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionForward", nullptr, AttentionForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionBackward", nullptr, AttentionBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"encoderForward", nullptr, EncoderForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"encoderBackward", nullptr, EncoderBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sahpForward", nullptr, SahpForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sahpBackward", nullptr, SahpBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"thpForward", nullptr, ThpForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"thpBackward", nullptr, ThpBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rnnForward", nullptr, RnnForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rnnBackward", nullptr, RnnBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"ifForward", nullptr, IfForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"ifBackward", nullptr, IfBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stepRead", nullptr, StepRead, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stepAccumulate", nullptr, StepAccumulate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"temporalEncoding", nullptr, TemporalEncoding, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"thpTermsForward", nullptr, ThpTermsForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"thpTermsBackward", nullptr, ThpTermsBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sahpTermsForward", nullptr, SahpTermsForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sahpTermsBackward", nullptr, SahpTermsBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sahpHeadsForward", nullptr, SahpHeadsForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sahpHeadsBackward", nullptr, SahpHeadsBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stepRows", nullptr, StepRows, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace seqcast

NAPI_MODULE(NODE_GYP_MODULE_NAME, seqcast::Init)
