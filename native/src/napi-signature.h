// Declared signatures of the addon's exports. A kernel's entry is a C++ function whose
// parameters after the Call are its JS arguments, typed (In<float> a Float32Array it reads,
// Out<double> a Float64Array it writes, int / double a number, bool a boolean); the table in
// addon.cc names each argument once. One generic entry point checks the count and every
// type, throwing a TypeError that names the kernel and the argument, before the body runs:
// no body unpacks N-API values by hand.
#pragma once
#include <node_api.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace seqcast {
namespace {

// A typed array argument, read in place: its data and its length in elements.
template <typename T>
struct Array {
  T* data = nullptr;
  size_t size = 0;
  operator T*() const { return data; }  // so that a body hands it straight to a kernel
};
template <typename T>
using In = Array<const T>;
template <typename T>
using Out = Array<T>;

// What a body gets besides its arguments: the kernel's name, and the checks of sizes and
// indices (a RangeError naming the kernel; the first failure wins, and ok() turns false).
class Call {
 public:
  Call(napi_env env, const char* name) : env_(env), name_(name) {}
  bool ok() const { return ok_; }

  void require(bool cond, const char* message) {
    if (!ok_ || cond) return;
    fail(napi_throw_range_error, message);
  }
  // The indices [first, last] a kernel touches must lie in [0, length) (nothing touched: fine).
  void within(bool any, int64_t first, int64_t last, size_t length, const char* what) {
    if (!ok_ || !any || (first >= 0 && last < static_cast<int64_t>(length))) return;
    fail(napi_throw_range_error, std::string(what) + " reaches index " + std::to_string(first < 0 ? first : last) +
                                     " of an array of " + std::to_string(length));
  }
  void typeError(const std::string& message) { fail(napi_throw_type_error, message); }

 private:
  void fail(napi_status (*raise)(napi_env, const char*, const char*), const std::string& message) {
    ok_ = false;
    raise(env_, nullptr, (std::string(name_) + ": " + message).c_str());
  }
  napi_env env_;
  const char* name_;
  bool ok_ = true;
};

// How one JS value becomes a parameter of type T, and what the message says it must be.
template <typename T>
struct Arg;

template <>
struct Arg<int> {
  static constexpr const char* expected = "a number";
  static bool read(napi_env env, napi_value v, int& out) {
    int32_t x = 0;
    if (napi_get_value_int32(env, v, &x) != napi_ok) return false;
    out = x;
    return true;
  }
};

template <>
struct Arg<double> {
  static constexpr const char* expected = "a number";
  static bool read(napi_env env, napi_value v, double& out) { return napi_get_value_double(env, v, &out) == napi_ok; }
};

template <>
struct Arg<bool> {
  static constexpr const char* expected = "a boolean";
  static bool read(napi_env env, napi_value v, bool& out) { return napi_get_value_bool(env, v, &out) == napi_ok; }
};

template <>
struct Arg<std::string> {
  static constexpr const char* expected = "a string";
  static bool read(napi_env env, napi_value v, std::string& out) {
    size_t length = 0;
    if (napi_get_value_string_utf8(env, v, nullptr, 0, &length) != napi_ok) return false;
    out.resize(length);
    return napi_get_value_string_utf8(env, v, out.data(), length + 1, &length) == napi_ok;
  }
};

template <typename E>
struct TypedArrayOf;
template <>
struct TypedArrayOf<float> {
  static constexpr napi_typedarray_type type = napi_float32_array;
  static constexpr const char* name = "a Float32Array";
};
template <>
struct TypedArrayOf<double> {
  static constexpr napi_typedarray_type type = napi_float64_array;
  static constexpr const char* name = "a Float64Array";
};
template <>
struct TypedArrayOf<int32_t> {
  static constexpr napi_typedarray_type type = napi_int32_array;
  static constexpr const char* name = "an Int32Array";
};

template <typename T>
struct Arg<Array<T>> {
  using Of = TypedArrayOf<std::remove_const_t<T>>;
  static constexpr const char* expected = Of::name;
  static bool read(napi_env env, napi_value v, Array<T>& out) {
    bool is = false;
    napi_typedarray_type type;
    void* data = nullptr;
    size_t length = 0;
    if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
    if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok || type != Of::type)
      return false;
    out.data = static_cast<T*>(data);
    out.size = length;
    return true;
  }
};

// A kernel's name and its arguments' names, in order (for messages).
struct Signature {
  const char* name;
  const char* const* args;
  size_t count;
};

// "takes 3 arguments (buf, off, n)"
std::string describe(const Signature& sig) {
  std::string s = "takes " + std::to_string(sig.count) + " arguments (";
  for (size_t i = 0; i < sig.count; i++) s += (i ? ", " : "") + std::string(sig.args[i]);
  return s + ")";
}

template <auto Body>
struct Entry;

// The generic entry point of a body void(Call&, A...): the signature comes as the
// callback's data (see declare below).
template <typename... A, void (*Body)(Call&, A...)>
struct Entry<Body> {
  static constexpr size_t arity = sizeof...(A);

  static napi_value call(napi_env env, napi_callback_info info) {
    napi_value argv[arity > 0 ? arity : 1];
    size_t argc = arity;
    void* data = nullptr;
    napi_get_cb_info(env, info, &argc, argv, nullptr, &data);
    const Signature& sig = *static_cast<const Signature*>(data);
    Call call(env, sig.name);
    std::tuple<A...> args;
    if (argc < arity)
      call.typeError("missing argument " + std::string(sig.args[argc]) + "; " + describe(sig));
    else if (argc > arity)
      call.typeError(describe(sig) + ", got " + std::to_string(argc));
    else if (read(env, call, sig, argv, args, std::index_sequence_for<A...>{}))
      std::apply([&call](A... a) { Body(call, a...); }, args);
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    return undefined;
  }

 private:
  // Each argument in turn, stopping at the first that is not what its parameter declares.
  template <size_t... I>
  static bool read(napi_env env, Call& call, const Signature& sig, napi_value* argv, std::tuple<A...>& args,
                   std::index_sequence<I...>) {
    return (readOne<I>(env, call, sig, argv[I], std::get<I>(args)) && ...);
  }
  template <size_t I, typename T>
  static bool readOne(napi_env env, Call& call, const Signature& sig, napi_value v, T& out) {
    if (Arg<T>::read(env, v, out)) return true;
    call.typeError(std::string(sig.args[I]) + " must be " + Arg<T>::expected);
    return false;
  }
};

// One export: the JS name, the body, and its arguments' names (exactly one per parameter).
// The signature lives in statics of this instantiation, set once (worker threads load the
// addon again), and reaches the entry point as the callback's data.
template <auto Body, size_t N>
napi_property_descriptor declare(const char* name, const char* const (&args)[N]) {
  static_assert(N == Entry<Body>::arity, "name every argument of the kernel, once");
  static const std::array<const char*, N> names = [&args] {
    std::array<const char*, N> copy{};
    for (size_t i = 0; i < N; i++) copy[i] = args[i];
    return copy;
  }();
  static const Signature sig{name, names.data(), N};
  return {name, nullptr, Entry<Body>::call, nullptr, nullptr, nullptr, napi_default, const_cast<Signature*>(&sig)};
}

}  // namespace
}  // namespace seqcast
