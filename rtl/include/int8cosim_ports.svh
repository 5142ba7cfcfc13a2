// int8cosim_ports.svh: generated from hw-sim/contract/ports.ts (docs/ARCHITECTURE.md section 3) by
// hw-sim/contract/sv-ports.ts. Do not edit: test/hw-sim/sv-ports.test.ts checks that this file is what the
// contract renders (regenerate with `node --import tsx tools/write-sv-include.ts`).
//
// `INT8COSIM_PORTS: the array's ports in section 3's order, as the whole ANSI port list of a top module whose
// parameters are Rows, Cols and AccDepth (the widths are expressions of them; section 1 keeps each of them >= 2,
// so no $clog2 is 0). Found through the include directory rtl/include (files.f's +incdir+, "includeDirs" of an
// RTL config):
//
//   `include "int8cosim_ports.svh"
//   module my_top #(
//     parameter int unsigned Rows          = 8,
//     parameter int unsigned Cols          = 8,
//     parameter int unsigned AccDepth      = 1024,
//     parameter int unsigned RoundingModes = 7
//   ) (
//     `INT8COSIM_PORTS
//   );
//
// A top with ports beyond section 3's (section 13's a_ready_o) declares them before the macro, each with its comma.
//
// `INT8COSIM_CONNECT_INPUTS: in an instance of such a top, the beat's inputs (every input but clk_i and rst_ni)
// connected by name to the signals of the same name, each with its comma: a wrapper writes its clock and reset
// before it and its outputs after it.
`ifndef INT8COSIM_PORTS_SVH
`define INT8COSIM_PORTS_SVH

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

`endif // INT8COSIM_PORTS_SVH
