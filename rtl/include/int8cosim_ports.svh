// int8cosim_ports.svh: generated from hw-sim/contract (ports.ts, array-config.ts: docs/ARCHITECTURE.md sections 3
// and 1) by hw-sim/contract/sv-ports.ts. Do not edit: test/hw-sim/sv-ports.test.ts checks that this file is what
// the contract renders (regenerate with `node --import tsx tools/write-sv-include.ts`). Found through the include
// directory rtl/include (files.f's +incdir+, "includeDirs" of an RTL config).
//
// `INT8COSIM_PARAMS: section 1's parameters Rows, Cols, AccDepth and RoundingModes with rtl/systolic_top's
// defaults, as the head of a top's parameter list; a top with parameters of its own writes them after it, after a
// comma. `INT8COSIM_PORTS: the array's ports in section 3's order, as the whole ANSI port list of such a top (the
// widths are expressions of Rows, Cols and AccDepth; section 1 keeps each of them >= 2, so no $clog2 is 0):
//
//   `include "int8cosim_ports.svh"
//   module my_top #(
//     `INT8COSIM_PARAMS
//   ) (
//     `INT8COSIM_PORTS
//   );
//
// A top with ports beyond section 3's (section 13's a_ready_o) declares them before the macro, each with its comma.
//
// In an instance of such a top (a wrapper): `INT8COSIM_PASS_PARAMS passes the four parameters on by name;
// `INT8COSIM_CONNECT_INPUTS connects the beat's inputs (every input but clk_i and rst_ni) by name to the signals
// of the same name, each with its comma, so the wrapper writes its clock and reset before it;
// `INT8COSIM_OUTPUT_SIGNALS(p) declares the signals that take the outputs, named p and the port's name without o_
// and _o (core_ gives core_valid, core_addr, core_data, core_acc), and `INT8COSIM_CONNECT_OUTPUTS(p) connects the
// outputs to them, the last connections of the instance.
`ifndef INT8COSIM_PORTS_SVH
`define INT8COSIM_PORTS_SVH

`define INT8COSIM_PARAMS \
  parameter int Rows          = 8, \
  parameter int Cols          = 8, \
  parameter int AccDepth      = 1024, \
  parameter int RoundingModes = 7

`define INT8COSIM_PASS_PARAMS \
  .Rows          (Rows), \
  .Cols          (Cols), \
  .AccDepth      (AccDepth), \
  .RoundingModes (RoundingModes)

`define INT8COSIM_PORTS \
  input  logic                        clk_i, \
  input  logic                        rst_ni, \
  input  logic                        w_en_i, \
  input  logic                        w_bank_i, \
  input  logic [$clog2(Rows)-1:0]     w_row_i, \
  input  logic [8*Cols-1:0]           w_data_i, \
  input  logic                        a_en_i, \
  input  logic                        a_bank_i, \
  input  logic                        a_first_i, \
  input  logic                        a_last_i, \
  input  logic [$clog2(AccDepth)-1:0] a_addr_i, \
  input  logic [8*Rows-1:0]           a_data_i, \
  input  logic                        p_en_i, \
  input  logic [$clog2(Cols)-1:0]     p_col_i, \
  input  logic [31:0]                 p_bias_i, \
  input  logic [31:0]                 p_m0_i, \
  input  logic [7:0]                  p_shift_i, \
  input  logic                        c_en_i, \
  input  logic [7:0]                  c_zp_i, \
  input  logic [7:0]                  c_min_i, \
  input  logic [7:0]                  c_max_i, \
  input  logic [1:0]                  c_round_i, \
  output logic                        o_valid_o, \
  output logic [$clog2(AccDepth)-1:0] o_addr_o, \
  output logic [8*Cols-1:0]           o_data_o, \
  output logic [32*Cols-1:0]          o_acc_o

`define INT8COSIM_CONNECT_INPUTS \
  .w_en_i    (w_en_i), \
  .w_bank_i  (w_bank_i), \
  .w_row_i   (w_row_i), \
  .w_data_i  (w_data_i), \
  .a_en_i    (a_en_i), \
  .a_bank_i  (a_bank_i), \
  .a_first_i (a_first_i), \
  .a_last_i  (a_last_i), \
  .a_addr_i  (a_addr_i), \
  .a_data_i  (a_data_i), \
  .p_en_i    (p_en_i), \
  .p_col_i   (p_col_i), \
  .p_bias_i  (p_bias_i), \
  .p_m0_i    (p_m0_i), \
  .p_shift_i (p_shift_i), \
  .c_en_i    (c_en_i), \
  .c_zp_i    (c_zp_i), \
  .c_min_i   (c_min_i), \
  .c_max_i   (c_max_i), \
  .c_round_i (c_round_i),

`define INT8COSIM_OUTPUT_SIGNALS(p) \
  logic                        p``valid; \
  logic [$clog2(AccDepth)-1:0] p``addr; \
  logic [8*Cols-1:0]           p``data; \
  logic [32*Cols-1:0]          p``acc;

`define INT8COSIM_CONNECT_OUTPUTS(p) \
  .o_valid_o (p``valid), \
  .o_addr_o  (p``addr), \
  .o_data_o  (p``data), \
  .o_acc_o   (p``acc)

`endif // INT8COSIM_PORTS_SVH
