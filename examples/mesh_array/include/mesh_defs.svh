// Shared macros of the mesh_array example (included by every module file of examples/mesh_array/).
//
//   `MESH_IDX_W(n)                  width of an index into n things: $clog2(n), at least 1 (ARCHITECTURE.md section 3)
//   `MESH_FF(q, d)                  a flop with the array's reset: async active-low rst_ni to 0, q <= d on clk_i
//   `MESH_FFL(q, d, load)           the same flop with a load enable: q <= d on clk_i when load, else q holds
//   `MESH_STATIC_CHECK(name, cond, msg)   elaboration-time check: a named generate block that $errors when !cond
//   `MESH_ASSERT(name, cond, msg)   simulation-only check at every clk_i edge out of reset (off under SYNTHESIS)
// msg is a parenthesised $error argument list, e.g. ("x = %0d is too big", x).
//   `MESH_ASSERT_KNOWN(name, sig)   simulation-only: sig has no X or Z bit out of reset
//
// The accumulator read style is chosen by the define MESH_ACC_READ, which the RTL config sets
// (examples/mesh_array/cosim.json "defines"):
//   0  combinational read of a flop array (small arrays, FPGA distributed RAM)
//   1  synchronous read issued one cycle early with write forwarding (maps to block RAM / an SRAM macro)
// It has no default: mesh_array_top reads it bare, so a build without it stops in the preprocessor with
// "Define or directive not defined: `MESH_ACC_READ" (every tool treats that as an error; an elaboration-time
// $error would be only a warning under the harness's -Wno-fatal).
`ifndef MESH_DEFS_SVH
`define MESH_DEFS_SVH

`define MESH_IDX_W(n) (((n) > 1) ? $clog2(n) : 1)

`define MESH_FF(q, d)                              \
  always_ff @(posedge clk_i or negedge rst_ni) begin \
    if (!rst_ni) q <= '0;                          \
    else         q <= (d);                         \
  end

`define MESH_FFL(q, d, load)                       \
  always_ff @(posedge clk_i or negedge rst_ni) begin \
    if (!rst_ni)     q <= '0;                      \
    else if (load)   q <= (d);                     \
  end

`define MESH_STATIC_CHECK(name, cond, msg) \
  if (!(cond)) begin : name                \
    $error msg;                            \
  end

`ifndef SYNTHESIS
`define MESH_ASSERT(name, cond, msg)                     \
  always @(posedge clk_i or negedge rst_ni) begin : name \
    if (rst_ni) begin                                    \
      assert (cond) else $error msg;                     \
    end                                                  \
  end
`define MESH_ASSERT_KNOWN(name, sig) \
  `MESH_ASSERT(name, !$isunknown(sig), (`"sig is X or Z out of reset`"))
`else
`define MESH_ASSERT(name, cond, msg)
`define MESH_ASSERT_KNOWN(name, sig)
`endif

`endif  // MESH_DEFS_SVH
