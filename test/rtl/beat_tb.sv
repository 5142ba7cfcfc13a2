// Beat-file testbench of systolic_top (a thin driver until the harness drives the RTL through its FFI).
// Reads `cycles` input beats of docs/ARCHITECTURE.md section 7 (17+C+R 32-bit words each, hex, one a line) from
// +in=<file>; for every cycle t it drives the inputs, samples the outputs (2+2C words) and the PE registers
// (6 words per PE, the readout layout of section 6) as they are before edge t, then clocks. Writes the outputs to
// +out=<file> and the registers to +regs=<file>. Reset is asserted before cycle 0 and released before its edge.
module beat_tb #(
  parameter int Rows         = 4,
  parameter int Cols         = 4,
  parameter int AccDepth     = 16,
  parameter int RoundingMode = 0,
  parameter int MaxCycles    = 4096
);
  localparam int RowW  = $clog2(Rows);
  localparam int ColW  = $clog2(Cols);
  localparam int AddrW = $clog2(AccDepth);
  localparam int InW   = 17 + Cols + Rows;
  localparam int OutW  = 2 + 2 * Cols;
  localparam int RegW  = 6 * Rows * Cols;

  logic [31:0] in_mem  [0:InW*MaxCycles-1];
  logic [31:0] out_mem [0:OutW*MaxCycles-1];
  logic [31:0] reg_mem [0:RegW*MaxCycles-1];

  logic               clk, rst_n;
  logic               w_en, w_bank, a_en, a_bank, a_first, a_last, p_en, c_en;
  logic [RowW-1:0]    w_row;
  logic [8*Cols-1:0]  w_data;
  logic [AddrW-1:0]   a_addr;
  logic [8*Rows-1:0]  a_data;
  logic [ColW-1:0]    p_col;
  logic [31:0]        p_bias, p_m0;
  logic [7:0]         p_shift, c_zp, c_min, c_max;
  logic               o_valid;
  logic [AddrW-1:0]   o_addr;
  logic [8*Cols-1:0]  o_data;
  logic [32*Cols-1:0] o_acc;

  systolic_top #(
    .Rows        (Rows),
    .Cols        (Cols),
    .AccDepth    (AccDepth),
    .RoundingMode(RoundingMode)
  ) dut (
    .clk_i    (clk),
    .rst_ni   (rst_n),
    .w_en_i   (w_en),
    .w_bank_i (w_bank),
    .w_row_i  (w_row),
    .w_data_i (w_data),
    .a_en_i   (a_en),
    .a_bank_i (a_bank),
    .a_first_i(a_first),
    .a_last_i (a_last),
    .a_addr_i (a_addr),
    .a_data_i (a_data),
    .p_en_i   (p_en),
    .p_col_i  (p_col),
    .p_bias_i (p_bias),
    .p_m0_i   (p_m0),
    .p_shift_i(p_shift),
    .c_en_i   (c_en),
    .c_zp_i   (c_zp),
    .c_min_i  (c_min),
    .c_max_i  (c_max),
    .o_valid_o(o_valid),
    .o_addr_o (o_addr),
    .o_data_o (o_data),
    .o_acc_o  (o_acc)
  );

  // The PE registers, sign-extended, in readout order.
  logic [31:0] pe_words [0:RegW-1];
  for (genvar r = 0; r < Rows; r++) begin : g_r
    for (genvar c = 0; c < Cols; c++) begin : g_c
      localparam int B = 6 * (r * Cols + c);
      assign pe_words[B + 0] = 32'(dut.u_array.g_row[r].g_col[c].u_pe.w0_q);
      assign pe_words[B + 1] = 32'(dut.u_array.g_row[r].g_col[c].u_pe.w1_q);
      assign pe_words[B + 2] = 32'(dut.u_array.g_row[r].g_col[c].u_pe.a_q);
      assign pe_words[B + 3] = {31'd0, dut.u_array.g_row[r].g_col[c].u_pe.v_q};
      assign pe_words[B + 4] = {31'd0, dut.u_array.g_row[r].g_col[c].u_pe.bank_q};
      assign pe_words[B + 5] = dut.u_array.g_row[r].g_col[c].u_pe.psum_q;
    end
  end

  string in_file, out_file, regs_file;
  int cycles;

  task automatic drive(input int t);
    int b;
    b = t * InW;
    w_en    = in_mem[b + 0][0];
    w_bank  = in_mem[b + 1][0];
    w_row   = in_mem[b + 2][RowW-1:0];
    a_en    = in_mem[b + 3][0];
    a_bank  = in_mem[b + 4][0];
    a_first = in_mem[b + 5][0];
    a_last  = in_mem[b + 6][0];
    a_addr  = in_mem[b + 7][AddrW-1:0];
    p_en    = in_mem[b + 8][0];
    p_col   = in_mem[b + 9][ColW-1:0];
    p_bias  = in_mem[b + 10];
    p_m0    = in_mem[b + 11];
    p_shift = in_mem[b + 12][7:0];
    c_en    = in_mem[b + 13][0];
    c_zp    = in_mem[b + 14][7:0];
    c_min   = in_mem[b + 15][7:0];
    c_max   = in_mem[b + 16][7:0];
    for (int c = 0; c < Cols; c++) w_data[8*c +: 8] = in_mem[b + 17 + c][7:0];
    for (int r = 0; r < Rows; r++) a_data[8*r +: 8] = in_mem[b + 17 + Cols + r][7:0];
  endtask

  task automatic sample(input int t);
    int b;
    b = t * OutW;
    out_mem[b + 0] = {31'd0, o_valid};
    out_mem[b + 1] = 32'(o_addr);
    for (int c = 0; c < Cols; c++) begin
      out_mem[b + 2 + c]        = 32'($signed(o_data[8*c +: 8]));
      out_mem[b + 2 + Cols + c] = o_acc[32*c +: 32];
    end
    for (int i = 0; i < RegW; i++) reg_mem[t * RegW + i] = pe_words[i];
  endtask

  initial begin
    if (!$value$plusargs("in=%s", in_file) || !$value$plusargs("out=%s", out_file) ||
        !$value$plusargs("regs=%s", regs_file) || !$value$plusargs("cycles=%d", cycles)) begin
      $fatal(1, "beat_tb: needs +in=<file> +out=<file> +regs=<file> +cycles=<n>");
    end
    if (cycles < 1 || cycles > MaxCycles) $fatal(1, "beat_tb: +cycles=%0d outside [1, %0d]", cycles, MaxCycles);
    $readmemh(in_file, in_mem, 0, InW * cycles - 1);
    clk   = 1'b0;
    rst_n = 1'b0;
    drive(0);
    #1;
    rst_n = 1'b1;
    for (int t = 0; t < cycles; t++) begin
      drive(t);
      #1;
      sample(t);
      clk = 1'b1;
      #1;
      clk = 1'b0;
    end
    $writememh(out_file, out_mem, 0, OutW * cycles - 1);
    $writememh(regs_file, reg_mem, 0, RegW * cycles - 1);
    $finish;
  end
endmodule
