// One processing element of the mesh: two int8 weight banks, an 8x8 signed multiply, and the registers that pass
// the activation (with its valid and bank bits) to the right and the partial sum down, as docs/ARCHITECTURE.md
// section 4 states them:
//   act_d = act_i, vld_d = vld_i, sel_d = sel_i, sum_d = vld_i ? wrap32(sum_i + act_i * wgt[sel_i]) : 0.
// The register names are this example's own (wgt0_q .. sum_q), not those of section 6: deep mode refuses it.
`include "mesh_defs.svh"

module mesh_cell (
  input  logic               clk_i,
  input  logic               rst_ni,
  // weight write (this cell's row selected, this column's byte)
  input  logic               wr_en_i,
  input  logic               wr_bank_i,
  input  logic signed [7:0]  wr_data_i,
  // from the left neighbour (or the row's skew pipe)
  input  logic signed [7:0]  act_i,
  input  logic               vld_i,
  input  logic               sel_i,
  // from the cell above (0 for the top row)
  input  logic signed [31:0] sum_i,
  // to the right and down
  output logic signed [7:0]  act_o,
  output logic               vld_o,
  output logic               sel_o,
  output logic signed [31:0] sum_o
);

  logic signed [7:0]  wgt0_q, wgt0_d;
  logic signed [7:0]  wgt1_q, wgt1_d;
  logic signed [7:0]  act_q;
  logic               vld_q;
  logic               sel_q;
  logic signed [31:0] sum_q, sum_d;
  logic signed [7:0]  wgt;
  logic signed [15:0] prod;

  always_comb begin
    wgt0_d = wgt0_q;
    wgt1_d = wgt1_q;
    if (wr_en_i) begin
      if (wr_bank_i) wgt1_d = wr_data_i;
      else           wgt0_d = wr_data_i;
    end
    wgt   = sel_i ? wgt1_q : wgt0_q;
    prod  = act_i * wgt;  // both signed: |prod| <= 2^14, exact in 16 bits
    sum_d = 32'sd0;
    if (vld_i) sum_d = sum_i + 32'(prod);  // 32'() of a signed value sign-extends; the add wraps modulo 2^32
  end

  `MESH_FF(wgt0_q, wgt0_d)
  `MESH_FF(wgt1_q, wgt1_d)
  `MESH_FF(act_q, act_i)
  `MESH_FF(vld_q, vld_i)
  `MESH_FF(sel_q, sel_i)
  `MESH_FF(sum_q, sum_d)

  assign act_o = act_q;
  assign vld_o = vld_q;
  assign sel_o = sel_q;
  assign sum_o = sum_q;

endmodule
