// One processing element of the mesh: two int8 weight banks, an 8x8 signed multiply, and the registers that pass
// the beat (activation, valid and bank bits) to the right and the partial sum down, as docs/ARCHITECTURE.md
// section 4 states them:
//   act_q <= beat.act, vld_q <= beat.vld, sel_q <= beat.sel,
//   sum_q <= beat.vld ? wrap32(sum_i + beat.act * wgt[beat.sel]) : 0.
// The register names are this example's own (wgt0_q .. sum_q), not those of section 6: deep mode refuses it.
`include "mesh_defs.svh"

module mesh_cell (
  input  logic               clk_i,
  input  logic               rst_ni,
  // weight write (this cell's row selected, this column's byte)
  input  logic               wr_en_i,
  input  logic               wr_bank_i,
  input  logic signed [7:0]  wr_data_i,
  // the beat from the left neighbour (or the row's skew pipe), and the partial sum from above (0 for the top row)
  input  mesh_pkg::beat_t    beat_i,
  input  logic signed [31:0] sum_i,
  // to the right and down
  output mesh_pkg::beat_t    beat_o,
  output logic signed [31:0] sum_o
);

  logic signed [7:0]  wgt0_q, wgt1_q;
  logic signed [7:0]  act_q;
  logic               vld_q, sel_q;
  logic signed [31:0] sum_q, sum_d;
  logic signed [7:0]  wgt;
  logic signed [15:0] prod;

  always_comb begin
    wgt   = beat_i.sel ? wgt1_q : wgt0_q;
    prod  = beat_i.act * wgt;  // both signed: |prod| <= 2^14, exact in 16 bits
    sum_d = 32'sd0;
    if (beat_i.vld) sum_d = sum_i + 32'(prod);  // 32'() of a signed value sign-extends; the add wraps modulo 2^32
  end

  `MESH_FFL(wgt0_q, wr_data_i, wr_en_i && !wr_bank_i)
  `MESH_FFL(wgt1_q, wr_data_i, wr_en_i && wr_bank_i)
  `MESH_FF(act_q, beat_i.act)
  `MESH_FF(vld_q, beat_i.vld)
  `MESH_FF(sel_q, beat_i.sel)
  `MESH_FF(sum_q, sum_d)

  assign beat_o = '{sel: sel_q, vld: vld_q, act: act_q};
  assign sum_o  = sum_q;

endmodule
