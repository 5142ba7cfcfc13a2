// The Rows x Cols mesh of cells with its input skew and output de-skew: row r's beat (mesh_pkg::beat_t) passes
// through a pipe of r registers before cell (r, 0), so that cell (r, c) sees a beat of cycle t in cycle t + r + c.
// Partial sums move down; the bottom sum of column c (cycle t + Rows + c) passes through a pipe of Cols-1-c
// registers, so that every column's sum of that beat leaves on psum_o in cycle t + Rows + Cols - 1.
// Instances g_r[r].g_c[c].u_cell.
`include "mesh_defs.svh"

module mesh_grid #(
  parameter int unsigned Rows = 8,
  parameter int unsigned Cols = 8,
  localparam int unsigned RowW = `MESH_IDX_W(Rows)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // one weight row: its index, the bank, the bytes of every column
  input  logic                 wr_en_i,
  input  logic [RowW-1:0]      wr_row_i,
  input  logic                 wr_bank_i,
  input  logic [8*Cols-1:0]    wr_data_i,
  // the activation beat as it arrives on the ports
  input  logic                 beat_en_i,
  input  logic                 beat_bank_i,
  input  logic [8*Rows-1:0]    beat_data_i,
  // the bottom row's partial sums, de-skewed
  output logic [32*Cols-1:0]   psum_o
);

  // Mesh wires: right-going beats, down-going sums. Column index Cols is the right edge, row index Rows the bottom
  // edge.
  mesh_pkg::beat_t    beat [Rows][Cols+1];
  logic signed [31:0] sum  [Rows+1][Cols];

  for (genvar r = 0; r < Rows; r++) begin : g_r
    logic            row_we;
    mesh_pkg::beat_t beat_in;
    assign row_we  = wr_en_i && (32'(wr_row_i) == r);
    assign beat_in = '{sel: beat_bank_i, vld: beat_en_i, act: beat_data_i[8*r +: 8]};

    mesh_pipe #(
      .Width ($bits(mesh_pkg::beat_t)),
      .Stages(r)
    ) u_skew (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .in_i  (beat_in),
      .out_o (beat[r][0])
    );

    for (genvar c = 0; c < Cols; c++) begin : g_c
      mesh_cell u_cell (
        .clk_i    (clk_i),
        .rst_ni   (rst_ni),
        .wr_en_i  (row_we),
        .wr_bank_i(wr_bank_i),
        .wr_data_i(wr_data_i[8*c +: 8]),
        .beat_i   (beat[r][c]),
        .sum_i    (sum[r][c]),
        .beat_o   (beat[r][c+1]),
        .sum_o    (sum[r+1][c])
      );
    end
  end

  for (genvar c = 0; c < Cols; c++) begin : g_edge
    assign sum[0][c] = 32'sd0;

    mesh_pipe #(
      .Width (32),
      .Stages(Cols - 1 - c)
    ) u_deskew (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .in_i  (sum[Rows][c]),
      .out_o (psum_o[32*c +: 32])
    );
  end

  // Waiver: what the rightmost column passes on to its right goes nowhere (a wider mesh would read it).
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_right_edge;
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    unused_right_edge = 1'b0;
    for (int unsigned r = 0; r < Rows; r++) unused_right_edge = unused_right_edge ^ (^beat[r][Cols]);
  end

endmodule
