// int8cosim_assert.svh: the RTL's checks as one-line macros, after lowRISC's prim_assert.sv. Every module that
// checks something includes this file (`include "int8cosim_assert.svh"`, found through the include directory
// rtl/include: -I / +incdir+ in every build, "includeDirs" in rtl/cosim.json).
//
//   `ASSERT_STATIC(name, cond, (fmt, args...))   parameter check at elaboration: the build stops with the message
//   `ASSERT_INIT(name, cond, (fmt, args...))     checked once at time 0 (initial block); $fatal when false
//   `ASSERT(name, prop, clk, rst_n, (fmt, args...))  prop holds at every rising clk edge while rst_n is 1
//   `ASSERT_KNOWN(name, sig, clk, rst_n)         sig has no X or Z bit at every rising clk edge while rst_n is 1
//
// The message is a parenthesized $display argument list, e.g. ("p_col_i = %0d >= Cols", p_col_i). `name` names the
// generate block, initial block or assertion (lowRISC style: UpperCamel with an _A suffix for assertions,
// g_* for generate blocks).
//
// What each tool makes of them:
//   - ASSERT / ASSERT_KNOWN are, in every simulator, an immediate assertion in an always block on the rising edge,
//     sensitive to the reset's falling edge like the flops: the assertion of a one-cycle property sampled at the
//     edge (what `assert property (@(posedge clk) disable iff (!rst_n) prop)` checks). Not a concurrent assertion
//     because Icarus has none, and because `disable iff` makes Verilator see rst_n as a synchronous net too
//     (SYNCASYNCNET under --assert -Wall). Verilator checks them with --assert; Icarus always.
//   - ASSERT_STATIC: an elaboration-time $error for Verilator (USERERROR: harness/build turns it into a build
//     error, lint fails on it) and Yosys; an `initial $fatal` at time 0 under Icarus, which has no elaboration-time
//     tasks.
//   - under SYNTHESIS (Yosys defines it), ASSERT / ASSERT_KNOWN / ASSERT_INIT expand to nothing.
`ifndef INT8COSIM_ASSERT_SVH
`define INT8COSIM_ASSERT_SVH

`ifdef __ICARUS__
  `define ASSERT_STATIC(__name, __cond, __msg) \
    if (!(__cond)) begin : __name \
      initial $fatal(1, "%s", $sformatf __msg); \
    end
`else
  `define ASSERT_STATIC(__name, __cond, __msg) \
    if (!(__cond)) begin : __name \
      $error __msg; \
    end
`endif

`ifndef SYNTHESIS
  `define ASSERT_INIT(__name, __cond, __msg) \
    initial begin : __name \
      assert (__cond) else $fatal(1, "%s", $sformatf __msg); \
    end

  `define ASSERT(__name, __prop, __clk, __rst_n, __msg) \
    always @(posedge __clk or negedge __rst_n) begin : __name \
      if (__rst_n === 1'b1) assert (__prop) else $error __msg; \
    end
`else
  `define ASSERT_INIT(__name, __cond, __msg)
  `define ASSERT(__name, __prop, __clk, __rst_n, __msg)
`endif

`define ASSERT_KNOWN(__name, __sig, __clk, __rst_n) \
  `ASSERT(__name, !$isunknown(__sig), __clk, __rst_n, ("%m: %s is unknown (X or Z) out of reset", `"__sig`"))

`endif // INT8COSIM_ASSERT_SVH
