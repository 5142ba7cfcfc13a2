// The C ABI of one Verilated array (docs/ARCHITECTURE.md), loaded by harness/sim/verilatedSim.ts through koffi.
//
// Compiled into a shared object together with the Verilated model (--prefix Vdut), the Verilator runtime and the
// generated header ic_geometry.h, which holds the sizes read from the model's own ports (never restated here).
// One handle = one VerilatedContext (owned by the handle) + one model. Calls on one handle must not overlap; the
// TypeScript side enforces the lifecycle (create -> reset -> run ... -> destroy) and throws on misuse, and every
// call here checks it again so a misuse can never touch freed or unreset state.
//
// Cycle convention (ARCHITECTURE.md section 4): in cycle t the inputs of beat t are applied with the clock low and
// the model is evaluated; the outputs then show the flops after edge t-1 and are sampled; then the rising edge t
// is evaluated. Registers read after a cycle (deep mode) are the flops after edge t, i.e. the values computed in
// cycle t. In a VCD (builds with IC_TRACE), time 2t is cycle t with the clock low, time 2t+1 is its rising edge.
//
// Threads: the model lives on a thread of its own, started with a large stack (kModelStack), and every call
// hands its work to that thread and waits. A Verilated array of 32x32 has single eval functions with frames of
// several MiB, more than the stack koffi gives a call (2 MiB sync, 128 KiB async); and one thread means the
// model and its context never see another thread, whichever thread (koffi's main or worker) made the call.
#include "Vdut.h"
#include "verilated.h"
#include "verilated_save.h"
#include "verilated_syms.h"
#include "ic_geometry.h"
#if IC_TRACE
#include "verilated_vcd_c.h"
#endif

#include <pthread.h>

#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr int kRows = IC_ROWS;
constexpr int kCols = IC_COLS;
constexpr int kInWords = 17 + kCols + kRows;  // ARCHITECTURE.md section 7
constexpr int kOutWords = 2 + 2 * kCols;
constexpr int kRegsPerPe = 6;  // w0_q, w1_q, a_q, v_q, bank_q, psum_q (section 6)
constexpr int kRegWords = kRegsPerPe * kRows * kCols;
constexpr int kAbiVersion = 1;

// A Verilog $stop/$finish or a Verilator fatal error inside a call: the call returns an error with this text.
struct SimStopped : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr std::size_t kModelStack = std::size_t{512} << 20;  // virtual; pages are committed only when touched

// One thread that runs jobs handed to it, one at a time, while the caller waits.
class Worker {
  pthread_t m_thread{};
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::function<void()> m_job;
  bool m_hasJob = false;
  bool m_quit = false;
  bool m_started = false;

  static void* entry(void* self) {
    static_cast<Worker*>(self)->loop();
    return nullptr;
  }
  void loop() {
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
      m_cv.wait(lock, [&] { return m_hasJob || m_quit; });
      if (m_hasJob) {
        lock.unlock();
        m_job();  // jobs catch their own exceptions
        lock.lock();
        m_hasJob = false;
        m_cv.notify_all();
      } else {
        return;
      }
    }
  }

 public:
  bool start() {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return false;
    pthread_attr_setstacksize(&attr, kModelStack);
    m_started = pthread_create(&m_thread, &attr, &Worker::entry, this) == 0;
    pthread_attr_destroy(&attr);
    return m_started;
  }
  void call(std::function<void()> job) {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_job = std::move(job);
    m_hasJob = true;
    m_cv.notify_all();
    m_cv.wait(lock, [&] { return !m_hasJob; });
  }
  ~Worker() {
    if (!m_started) return;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_quit = true;
    }
    m_cv.notify_all();
    pthread_join(m_thread, nullptr);
  }
};

struct Sim;
thread_local Sim* t_current = nullptr;  // the handle whose call is running on this thread
thread_local std::string t_createError;  // why ic_create returned NULL

// ---- bit packing into Verilator's port types (CData/SData/IData/QData or VlWide<N> of 32-bit words) ----------
inline uint64_t maskBits(int bits) { return bits >= 64 ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1); }

template <typename T>
inline void putScalar(T& port, int32_t v, int bits) {
  port = static_cast<T>(static_cast<uint64_t>(static_cast<int64_t>(v)) & maskBits(bits));
}
template <typename T>
inline void putElems(T& port, const int32_t* src, int n, int ew) {
  uint64_t acc = 0;
  for (int j = 0; j < n; ++j) acc |= (static_cast<uint64_t>(static_cast<uint32_t>(src[j])) & maskBits(ew)) << (j * ew);
  port = static_cast<T>(acc);
}
template <std::size_t N>
inline void putElems(VlWide<N>& port, const int32_t* src, int n, int ew) {
  for (std::size_t w = 0; w < N; ++w) port[w] = 0;
  for (int j = 0; j < n; ++j) {
    const int pos = j * ew;  // ew is 8 or 32: an element never straddles a word
    port[pos >> 5] |= (static_cast<uint32_t>(src[j]) & static_cast<uint32_t>(maskBits(ew))) << (pos & 31);
  }
}
inline int32_t signExtend(uint64_t v, int bits) {
  if (bits >= 32) return static_cast<int32_t>(static_cast<uint32_t>(v));
  const uint32_t m = 1u << (bits - 1);
  const uint32_t x = static_cast<uint32_t>(v) & static_cast<uint32_t>(maskBits(bits));
  return static_cast<int32_t>((x ^ m) - m);
}
template <typename T>
inline void getElems(const T& port, int32_t* dst, int n, int ew) {
  const uint64_t v = static_cast<uint64_t>(port);
  for (int j = 0; j < n; ++j) dst[j] = signExtend(v >> (j * ew), ew);
}
template <std::size_t N>
inline void getElems(const VlWide<N>& port, int32_t* dst, int n, int ew) {
  for (int j = 0; j < n; ++j) {
    const int pos = j * ew;
    dst[j] = signExtend(port[pos >> 5] >> (pos & 31), ew);
  }
}

// ---- deep mode: raw pointers to the PE registers, found by name in Verilator's scope tables ------------------
struct RegRef {
  const void* p = nullptr;
  int bits = 0;
  int bytes = 0;
  bool isSigned = false;
};
const char* const kRegNames[kRegsPerPe] = {"w0_q", "w1_q", "a_q", "v_q", "bank_q", "psum_q"};
const int kRegBits[kRegsPerPe] = {8, 8, 8, 1, 1, 32};
const bool kRegSigned[kRegsPerPe] = {true, true, true, false, false, true};

inline int32_t readReg(const RegRef& r) {
  uint64_t v = 0;
  switch (r.bytes) {
    case 1: v = *static_cast<const uint8_t*>(r.p); break;
    case 2: v = *static_cast<const uint16_t*>(r.p); break;
    case 4: v = *static_cast<const uint32_t*>(r.p); break;
    default: v = *static_cast<const uint64_t*>(r.p); break;
  }
  return r.isSigned ? signExtend(v, r.bits) : static_cast<int32_t>(v & maskBits(r.bits));
}

// ---- in-memory save/restore (checkpoints for replaying a window around a mismatch) --------------------------
class MemSave final : public VerilatedSerialize {
  std::vector<uint8_t>& m_out;

 public:
  explicit MemSave(std::vector<uint8_t>& out) : m_out(out) {
    m_out.clear();
    m_isOpen = true;
    header();
  }
  ~MemSave() override { close(); }
  void close() override {
    if (!m_isOpen) return;
    trailer();
    flush();
    m_isOpen = false;
  }
  void flush() override {
    m_out.insert(m_out.end(), m_bufp, m_cp);
    m_cp = m_bufp;
  }
};
class MemRestore final : public VerilatedDeserialize {
  const std::vector<uint8_t>& m_in;
  std::size_t m_pos = 0;

 public:
  explicit MemRestore(const std::vector<uint8_t>& in) : m_in(in) {
    m_isOpen = true;
    m_cp = m_bufp;
    m_endp = m_bufp;
    header();
  }
  ~MemRestore() override {
    if (m_isOpen) m_isOpen = false;  // trailer already checked by close(); never throw from a destructor
  }
  void close() override {
    if (!m_isOpen) return;
    m_isOpen = false;
    trailer();
  }
  void fill() override {
    const std::size_t rest = static_cast<std::size_t>(m_endp - m_cp);
    std::memmove(m_bufp, m_cp, rest);
    m_cp = m_bufp;
    m_endp = m_bufp + rest;
    std::size_t n = bufferSize() - rest;
    if (n > m_in.size() - m_pos) n = m_in.size() - m_pos;
    std::memcpy(m_endp, m_in.data() + m_pos, n);
    m_pos += n;
    m_endp += n;
    while (m_endp < m_bufp + bufferSize()) *m_endp++ = 0;  // as VerilatedRestore does at EOF
  }
};

// ---- the handle ---------------------------------------------------------------------------------------------
struct Sim {
  Worker worker;  // declared first: destroyed last, after the model it ran
  std::unique_ptr<VerilatedContext> context;
  std::unique_ptr<Vdut> top;
#if IC_TRACE
  std::unique_ptr<VerilatedVcdC> trace;
#endif
  std::vector<RegRef> regs;  // kRegWords entries when deep
  std::vector<uint8_t> checkpoint;
  uint64_t cycle = 0;
  bool isReset = false;
  std::string error;   // last error of a call
  std::string stopMsg; // set by vl_stop/vl_finish during a call

  void drive(const int32_t* in) {
    Vdut& t = *top;
    t.clk_i = 0;
    putScalar(t.w_en_i, in[0], 1);
    putScalar(t.w_bank_i, in[1], 1);
    putScalar(t.w_row_i, in[2], IC_W_ROW_BITS);
    putScalar(t.a_en_i, in[3], 1);
    putScalar(t.a_bank_i, in[4], 1);
    putScalar(t.a_first_i, in[5], 1);
    putScalar(t.a_last_i, in[6], 1);
    putScalar(t.a_addr_i, in[7], IC_ADDR_BITS);
    putScalar(t.p_en_i, in[8], 1);
    putScalar(t.p_col_i, in[9], IC_P_COL_BITS);
    putScalar(t.p_bias_i, in[10], 32);
    putScalar(t.p_m0_i, in[11], 32);
    putScalar(t.p_shift_i, in[12], 8);
    putScalar(t.c_en_i, in[13], 1);
    putScalar(t.c_zp_i, in[14], 8);
    putScalar(t.c_min_i, in[15], 8);
    putScalar(t.c_max_i, in[16], 8);
    putElems(t.w_data_i, in + 17, kCols, 8);
    putElems(t.a_data_i, in + 17 + kCols, kRows, 8);
  }
  void sample(int32_t* out) const {
    const Vdut& t = *top;
    out[0] = static_cast<int32_t>(t.o_valid_o & 1);
    out[1] = static_cast<int32_t>(static_cast<uint64_t>(t.o_addr_o) & maskBits(IC_ADDR_BITS));
    getElems(t.o_data_o, out + 2, kCols, 8);
    getElems(t.o_acc_o, out + 2 + kCols, kCols, 32);
  }
  void readRegs(int32_t* out) const {
    for (int i = 0; i < kRegWords; ++i) out[i] = readReg(regs[static_cast<std::size_t>(i)]);
  }
  void checkStopped() {
    if (!stopMsg.empty()) {
      std::string m;
      m.swap(stopMsg);
      throw SimStopped(m);
    }
  }
  // One cycle: inputs, settle, sample outputs, rising edge, (trace), (registers).
  void step(const int32_t* in, int32_t* out, int32_t* regOut) {
    drive(in);
    top->eval();
#if IC_TRACE
    if (trace) trace->dump(2 * cycle);
#endif
    sample(out);
    top->clk_i = 1;
    top->eval();
#if IC_TRACE
    if (trace) trace->dump(2 * cycle + 1);
#endif
    if (regOut) readRegs(regOut);
    ++cycle;
    context->time(2 * cycle);
    checkStopped();
  }
};

std::string lookupRegisters(Sim& s) {
  // The PE of ARCHITECTURE.md section 6: <top>.u_array.g_row[r].g_col[c].u_pe, registers w0_q ... psum_q.
  const VerilatedScopeNameMap* scopes = s.context->scopeNameMap();
  if (!scopes) return "the model has no scope table (was it built with --public-flat-rw?)";
  s.regs.assign(kRegWords, RegRef{});
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kCols; ++c) {
      const std::string want = std::string{".u_array.g_row["} + std::to_string(r) + "].g_col[" + std::to_string(c) + "].u_pe";
      const VerilatedScope* scope = nullptr;
      for (const auto& kv : *scopes) {
        const std::string name = kv.first;
        if (name.size() >= want.size() && name.compare(name.size() - want.size(), want.size(), want) == 0) {
          scope = kv.second;
          break;
        }
      }
      if (!scope) return "no instance '" IC_TOP ".u_array.g_row[" + std::to_string(r) + "].g_col[" + std::to_string(c) + "].u_pe' (docs/ARCHITECTURE.md section 6)";
      for (int i = 0; i < kRegsPerPe; ++i) {
        const VerilatedVar* var = scope->varFind(kRegNames[i]);
        if (!var) return std::string{"instance '"} + scope->name() + "' has no register '" + kRegNames[i] + "'";
        const int bits = var->elements(0);
        if (bits != kRegBits[i] || var->udims() != 0)
          return std::string{"register '"} + scope->name() + "." + kRegNames[i] + "' is " + std::to_string(bits) +
                 " bits wide, expected " + std::to_string(kRegBits[i]);
        RegRef& ref = s.regs[static_cast<std::size_t>(kRegsPerPe * (r * kCols + c) + i)];
        ref.p = var->datap();
        ref.bits = bits;
        ref.isSigned = kRegSigned[i];
        switch (var->vltype()) {
          case VLVT_UINT8: ref.bytes = 1; break;
          case VLVT_UINT16: ref.bytes = 2; break;
          case VLVT_UINT32: ref.bytes = 4; break;
          case VLVT_UINT64: ref.bytes = 8; break;
          default: return std::string{"register '"} + scope->name() + "." + kRegNames[i] + "' has an unsupported type";
        }
      }
    }
  }
  return "";
}

// Runs body on the model's thread with t_current set; turns a stop or fatal error into -1 and a message.
template <typename F>
int guarded(Sim* s, const char* what, F body) {
  if (!s) return -1;
  int rc = -1;
  s->worker.call([&] {
    t_current = s;
    s->error.clear();
    try {
      rc = body();
    } catch (const std::exception& e) {
      s->error = std::string{what} + ": " + e.what();
      s->stopMsg.clear();
      rc = -1;
    }
    t_current = nullptr;
  });
  return rc;
}

std::string where(const char* filename, int linenum) {
  return (filename && filename[0]) ? std::string{filename} + ":" + std::to_string(linenum) : std::string{"(unknown)"};
}

}  // namespace

// ---- Verilator's user hooks (the runtime is compiled with VL_USER_FATAL, VL_USER_STOP, VL_USER_FINISH) --------
void vl_fatal(const char* filename, int linenum, const char* /*hier*/, const char* msg) {
  if (Verilated::threadContextp()) Verilated::threadContextp()->gotError(true);
  throw SimStopped(std::string{"Verilator fatal error at "} + where(filename, linenum) + ": " + (msg ? msg : ""));
}
void vl_stop(const char* filename, int linenum, const char* /*hier*/) {
  if (t_current && t_current->stopMsg.empty()) t_current->stopMsg = "Verilog $stop (a failed assertion?) at " + where(filename, linenum) + " in cycle " + std::to_string(t_current->cycle);
}
void vl_finish(const char* filename, int linenum, const char* /*hier*/) {
  if (t_current && t_current->stopMsg.empty()) t_current->stopMsg = "Verilog $finish at " + where(filename, linenum) + " in cycle " + std::to_string(t_current->cycle);
}

#define IC_EXPORT __attribute__((visibility("default")))

extern "C" {

/** Geometry and build facts: [abi, rows, cols, addrBits, inWords, outWords, regWords, deep, trace]. Returns count. */
IC_EXPORT int ic_info(int32_t* out, int n) {
  const int32_t v[] = {kAbiVersion, kRows, kCols, IC_ADDR_BITS, kInWords, kOutWords, kRegWords, IC_DEEP, IC_TRACE};
  const int k = static_cast<int>(sizeof v / sizeof v[0]);
  for (int i = 0; i < k && i < n; ++i) out[i] = v[i];
  return k;
}

IC_EXPORT const char* ic_create_error(void) { return t_createError.c_str(); }

IC_EXPORT void* ic_create(uint32_t seed) {
  t_createError.clear();
  auto s = std::make_unique<Sim>();
  if (!s->worker.start()) {
    t_createError = "cannot start the model thread";
    return nullptr;
  }
  const int rc = guarded(s.get(), "create", [&] {
    s->context = std::make_unique<VerilatedContext>();
#if IC_TRACE
    s->context->traceEverOn(true);  // --trace is compiled in; nothing is recorded until ic_trace_open
#endif
    s->context->randReset(2);       // uninitialised state is random (seeded): a missing reset shows as a mismatch
    s->context->randSeed(static_cast<int>(seed));
    s->context->fatalOnError(false);
    s->top = std::make_unique<Vdut>(s->context.get(), "TOP");
#if IC_DEEP
    const std::string err = lookupRegisters(*s);
    if (!err.empty()) throw std::runtime_error("deep mode cannot read the PE registers: " + err);
#endif
    return 0;
  });
  if (rc < 0) {
    t_createError = s->error;
    guarded(s.get(), "create", [&] {
      if (s->top) s->top->final();
      s->top.reset();
      s->context.reset();
      return 0;
    });
    return nullptr;
  }
  return s.release();
}

IC_EXPORT const char* ic_error(void* h) { return h ? static_cast<Sim*>(h)->error.c_str() : "null handle"; }

/** Holds reset for `cycles` clock cycles with all inputs 0, releases it; the next cycle run is cycle 0. */
IC_EXPORT int ic_reset(void* h, int cycles) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "reset", [&] {
    Vdut& t = *s->top;
    static const int32_t zeros[kInWords] = {};
    s->drive(zeros);
    t.rst_ni = 0;
    t.clk_i = 0;
    t.eval();
    for (int i = 0; i < cycles; ++i) {
      t.clk_i = 1;
      t.eval();
      t.clk_i = 0;
      t.eval();
    }
    t.rst_ni = 1;
    t.eval();
    s->cycle = 0;
    s->context->time(0);
    s->isReset = true;
    s->checkStopped();
    return 0;
  });
}

/** Runs n cycles: in holds n beats of inWords, out receives n beats of outWords, regs (may be NULL, deep builds
 *  only) n readouts of regWords. Returns n, or -1 with ic_error set (the cycles before the error were run). */
IC_EXPORT int ic_run(void* h, int n, const int32_t* in, int32_t* out, int32_t* regs) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "run", [&] {
    if (!s->isReset) throw std::runtime_error("run before reset");
    if (regs && !IC_DEEP) throw std::runtime_error("register readout needs a deep build");
    for (int i = 0; i < n; ++i) {
      s->step(in + static_cast<std::size_t>(i) * kInWords, out + static_cast<std::size_t>(i) * kOutWords,
              regs ? regs + static_cast<std::size_t>(i) * kRegWords : nullptr);
    }
    return n;
  });
}

/** The PE registers now (after the last cycle run): regWords words. Deep builds only. */
IC_EXPORT int ic_read_registers(void* h, int32_t* out) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "readRegisters", [&] {
    if (!IC_DEEP) throw std::runtime_error("register readout needs a deep build");
    s->readRegs(out);
    return kRegWords;
  });
}

/** Cycles run since reset (as a double: exact below 2^53). */
IC_EXPORT double ic_cycle(void* h) { return h ? static_cast<double>(static_cast<Sim*>(h)->cycle) : -1.0; }

IC_EXPORT int ic_trace_open(void* h, const char* path) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "traceOpen", [&] {
#if IC_TRACE
    if (s->trace) throw std::runtime_error("a trace is already open");
    auto tfp = std::make_unique<VerilatedVcdC>();
    s->top->trace(tfp.get(), 99);
    tfp->open(path);
    if (!tfp->isOpen()) throw std::runtime_error(std::string{"cannot open "} + path);
    s->trace = std::move(tfp);
    return 0;
#else
    (void)path;
    throw std::runtime_error("this build has no VCD tracing (build it with trace: true)");
    return -1;
#endif
  });
}

IC_EXPORT int ic_trace_close(void* h) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "traceClose", [&] {
#if IC_TRACE
    if (s->trace) {
      s->trace->close();
      s->trace.reset();
    }
#endif
    return 0;
  });
}

IC_EXPORT int ic_save(void* h, const char* path) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "saveState", [&] {
    VerilatedSave os;
    os.open(path);
    if (!os.isOpen()) throw std::runtime_error(std::string{"cannot write "} + path);
    const uint64_t magic = (uint64_t{kAbiVersion} << 48) | (uint64_t{kRows} << 32) | (uint64_t{kCols} << 16) | IC_ADDR_BITS;
    os << magic << s->cycle << *s->top;
    os.close();
    return 0;
  });
}

IC_EXPORT int ic_restore(void* h, const char* path) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "restoreState", [&] {
    s->isReset = false;  // until the whole state is back
    VerilatedRestore is;
    is.open(path);
    if (!is.isOpen()) throw std::runtime_error(std::string{"cannot read "} + path);
    uint64_t magic = 0;
    const uint64_t want = (uint64_t{kAbiVersion} << 48) | (uint64_t{kRows} << 32) | (uint64_t{kCols} << 16) | IC_ADDR_BITS;
    is >> magic;
    if (magic != want) throw std::runtime_error(std::string{path} + " was saved by a different array build");
    is >> s->cycle >> *s->top;
    is.close();
    s->context->time(2 * s->cycle);
    s->isReset = true;
    return 0;
  });
}

/** Keeps the state in memory (one slot); ic_rewind goes back to it. */
IC_EXPORT int ic_checkpoint(void* h) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "checkpoint", [&] {
    if (!s->isReset) throw std::runtime_error("checkpoint before reset");
    MemSave os(s->checkpoint);
    os << s->cycle << *s->top;
    os.close();
    return 0;
  });
}

IC_EXPORT int ic_rewind(void* h) {
  Sim* s = static_cast<Sim*>(h);
  return guarded(s, "rewind", [&] {
    if (s->checkpoint.empty()) throw std::runtime_error("no checkpoint to rewind to");
    s->isReset = false;
    MemRestore is(s->checkpoint);
    is >> s->cycle >> *s->top;
    is.close();
    s->context->time(2 * s->cycle);
    s->isReset = true;
    return 0;
  });
}

/** Closes any trace, runs final blocks, frees everything (on the model's thread), then ends that thread. */
IC_EXPORT void ic_destroy(void* h) {
  Sim* s = static_cast<Sim*>(h);
  if (!s) return;
  guarded(s, "destroy", [&] {
#if IC_TRACE
    if (s->trace) s->trace->close();
    s->trace.reset();
#endif
    s->top->final();
    s->top.reset();
    s->context.reset();
    return 0;
  });
  delete s;
}

}  // extern "C"
