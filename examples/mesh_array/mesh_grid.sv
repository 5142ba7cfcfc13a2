// The Rows x Cols mesh of cells with its input skew: row r's {bank, valid, activation} passes through a pipe of r
// registers before cell (r, 0), so that cell (r, c) sees a beat of cycle t in cycle t + r + c. Partial sums move
// down; the bottom row's sums leave on psum_o (column c's in cycle t + Rows + c). Instances g_r[r].g_c[c].u_cell.
`include "mesh_defs.svh"

module mesh_grid #(
  parameter int unsigned Rows = 8,
  parameter int unsigned Cols = 8
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // one weight row: the decoded row enables, the bank, the bytes of every column
  input  logic [Rows-1:0]      wr_row_en_i,
  input  logic                 wr_bank_i,
  input  logic [8*Cols-1:0]    wr_data_i,
  // the activation beat as it arrives on the ports
  input  logic                 beat_en_i,
  input  logic                 beat_bank_i,
  input  logic [8*Rows-1:0]    beat_data_i,
  // the bottom row's partial sums
  output logic [32*Cols-1:0]   psum_o
);

  // Mesh wires: right-going activation/valid/bank, down-going sums. Column index Cols is the right edge,
  // row index Rows the bottom edge.
  logic signed [7:0]  act  [Rows][Cols+1];
  logic               vld  [Rows][Cols+1];
  logic               sel  [Rows][Cols+1];
  logic signed [31:0] sum  [Rows+1][Cols];

  for (genvar r = 0; r < Rows; r++) begin : g_r
    logic [9:0] skew_out;

    mesh_pipe #(
      .Width (10),
      .Stages(r)
    ) u_skew (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .in_i  ({beat_bank_i, beat_en_i, beat_data_i[8*r +: 8]}),
      .out_o (skew_out)
    );

    assign act[r][0] = skew_out[7:0];
    assign vld[r][0] = skew_out[8];
    assign sel[r][0] = skew_out[9];

    for (genvar c = 0; c < Cols; c++) begin : g_c
      mesh_cell u_cell (
        .clk_i    (clk_i),
        .rst_ni   (rst_ni),
        .wr_en_i  (wr_row_en_i[r]),
        .wr_bank_i(wr_bank_i),
        .wr_data_i(wr_data_i[8*c +: 8]),
        .act_i    (act[r][c]),
        .vld_i    (vld[r][c]),
        .sel_i    (sel[r][c]),
        .sum_i    (sum[r][c]),
        .act_o    (act[r][c+1]),
        .vld_o    (vld[r][c+1]),
        .sel_o    (sel[r][c+1]),
        .sum_o    (sum[r+1][c])
      );
    end
  end

  for (genvar c = 0; c < Cols; c++) begin : g_edge
    assign sum[0][c] = 32'sd0;
    assign psum_o[32*c +: 32] = sum[Rows][c];
  end

  // Waiver: what the rightmost column passes on to its right goes nowhere (a wider mesh would read it).
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_right_edge;
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    unused_right_edge = 1'b0;
    for (int unsigned r = 0; r < Rows; r++) begin
      unused_right_edge = unused_right_edge ^ (^act[r][Cols]) ^ vld[r][Cols] ^ sel[r][Cols];
    end
  end

endmodule
