// The Rows x Cols grid of processing elements. Activations (with valid and bank bits) enter each row from the
// left, already skewed, and move right; partial sums enter row 0 as 0 and move down; the bottom row's psum_q
// leaves at psum_o (column c in bits [32c +: 32]). PE (r, c) is g_row[r].g_col[c].u_pe (the deep-mode path).
module systolic_array #(
  parameter int Rows = 8,
  parameter int Cols = 8
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // weight row write, already decoded to one enable per row
  input  logic [Rows-1:0]      w_row_en_i,
  input  logic                 w_bank_i,
  input  logic [8*Cols-1:0]    w_data_i,
  // skewed activations: row r in bits [8r +: 8]
  input  logic [8*Rows-1:0]    a_i,
  input  logic [Rows-1:0]      v_i,
  input  logic [Rows-1:0]      bank_i,
  // bottom psum_q of each column
  output logic [32*Cols-1:0]   psum_o
);

  // Horizontal links: (r, c) in element r*(Cols+1)+c; element c = 0 of a row is its left input, c = Cols the
  // (unused) right edge. Vertical links: (r, c) in element r*Cols+c; row 0 is the zero input, row Rows the bottom.
  // Waiver: the right-edge elements (c = Cols) carry the last column's a_q, v_q, bank_q, which have no consumer.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [8*Rows*(Cols+1)-1:0]  a_h;
  logic [Rows*(Cols+1)-1:0]    v_h;
  logic [Rows*(Cols+1)-1:0]    bank_h;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [32*(Rows+1)*Cols-1:0] psum_v;

  assign psum_v[32*Cols-1:0] = '0;
  assign psum_o = psum_v[32*Rows*Cols +: 32*Cols];

  for (genvar r = 0; r < Rows; r++) begin : g_row
    assign a_h[8*r*(Cols+1) +: 8] = a_i[8*r +: 8];
    assign v_h[r*(Cols+1)]        = v_i[r];
    assign bank_h[r*(Cols+1)]     = bank_i[r];

    for (genvar c = 0; c < Cols; c++) begin : g_col
      systolic_pe #(
        .Row(r),
        .Col(c)
      ) u_pe (
        .clk_i   (clk_i),
        .rst_ni  (rst_ni),
        .w_en_i  (w_row_en_i[r]),
        .w_bank_i(w_bank_i),
        .w_data_i(w_data_i[8*c +: 8]),
        .a_i     (a_h[8*(r*(Cols+1)+c) +: 8]),
        .v_i     (v_h[r*(Cols+1)+c]),
        .bank_i  (bank_h[r*(Cols+1)+c]),
        .psum_i  (psum_v[32*(r*Cols+c) +: 32]),
        .a_o     (a_h[8*(r*(Cols+1)+c+1) +: 8]),
        .v_o     (v_h[r*(Cols+1)+c+1]),
        .bank_o  (bank_h[r*(Cols+1)+c+1]),
        .psum_o  (psum_v[32*((r+1)*Cols+c) +: 32])
      );
    end
  end

endmodule
