// A deliberately non-conforming top (for the harness's port checker, test/harness/byo-rtl.test.ts): mesh_array_top
// wrapped with three mistakes a port list often has.
//   - a_addr_i renamed to a_row_i: a missing input (and one the harness cannot drive)
//   - p_shift_i 6 bits wide instead of 8: a wrong width
//   - o_acc_o left out: a missing output
// The harness's build must name all of them in one error. Not an example to follow.
`include "mesh_defs.svh"

module mesh_array_broken #(
  parameter int unsigned Rows         = 8,
  parameter int unsigned Cols         = 8,
  parameter int unsigned AccDepth     = 1024,
  parameter int unsigned RoundingMode = 0,
  localparam int unsigned RowW        = `MESH_IDX_W(Rows),
  localparam int unsigned ColW        = `MESH_IDX_W(Cols),
  localparam int unsigned AddrW       = `MESH_IDX_W(AccDepth)
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              w_en_i,
  input  logic              w_bank_i,
  input  logic [RowW-1:0]   w_row_i,
  input  logic [8*Cols-1:0] w_data_i,
  input  logic              a_en_i,
  input  logic              a_bank_i,
  input  logic              a_first_i,
  input  logic              a_last_i,
  input  logic [AddrW-1:0]  a_row_i,
  input  logic [8*Rows-1:0] a_data_i,
  input  logic              p_en_i,
  input  logic [ColW-1:0]   p_col_i,
  input  logic [31:0]       p_bias_i,
  input  logic [31:0]       p_m0_i,
  input  logic [5:0]        p_shift_i,
  input  logic              c_en_i,
  input  logic [7:0]        c_zp_i,
  input  logic [7:0]        c_min_i,
  input  logic [7:0]        c_max_i,
  output logic              o_valid_o,
  output logic [AddrW-1:0]  o_addr_o,
  output logic [8*Cols-1:0] o_data_o
);

  // Waiver: the debug output this top forgot to export.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [32*Cols-1:0] o_acc_dropped;
  /* verilator lint_on UNUSEDSIGNAL */

  mesh_array_top #(
    .Rows        (Rows),
    .Cols        (Cols),
    .AccDepth    (AccDepth),
    .RoundingMode(RoundingMode)
  ) u_inner (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .w_en_i   (w_en_i),
    .w_bank_i (w_bank_i),
    .w_row_i  (w_row_i),
    .w_data_i (w_data_i),
    .a_en_i   (a_en_i),
    .a_bank_i (a_bank_i),
    .a_first_i(a_first_i),
    .a_last_i (a_last_i),
    .a_addr_i (a_row_i),
    .a_data_i (a_data_i),
    .p_en_i   (p_en_i),
    .p_col_i  (p_col_i),
    .p_bias_i (p_bias_i),
    .p_m0_i   (p_m0_i),
    .p_shift_i({{2{p_shift_i[5]}}, p_shift_i}),
    .c_en_i   (c_en_i),
    .c_zp_i   (c_zp_i),
    .c_min_i  (c_min_i),
    .c_max_i  (c_max_i),
    .o_valid_o(o_valid_o),
    .o_addr_o (o_addr_o),
    .o_data_o (o_data_o),
    .o_acc_o  (o_acc_dropped)
  );

endmodule
