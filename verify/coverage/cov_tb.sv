// Streaming testbench of an RTL config's top for the coverage build (Verilator --coverage-line --coverage-toggle).
// The top is named by the define INT8COSIM_COV_DUT (coverage.ts sets it from the config: systolic_top for rtl/,
// any other top with the ports and parameters of docs/ARCHITECTURE.md sections 1 and 3).
// Unlike test/rtl/beat_tb.sv it holds no beat memory: it reads the cycle count and then the input beats of
// docs/ARCHITECTURE.md section 7 (17+C+R hex words a cycle) from +in=<file>, one cycle at a time, and writes the
// output beat of every cycle (2+2C hex words, one line a cycle) to +out=<file>, so that a regression of any length
// fits. Reset falls, is held for two clock edges and released before cycle 0 (as the harness's ic_reset).
module cov_tb #(
  parameter int Rows         = 3,
  parameter int Cols         = 5,
  parameter int AccDepth     = 8,
  parameter int RoundingMode = 0
);
  localparam int RowW  = $clog2(Rows);
  localparam int ColW  = $clog2(Cols);
  localparam int AddrW = $clog2(AccDepth);
  localparam int InW   = 17 + Cols + Rows;

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

`ifndef INT8COSIM_COV_DUT
  // coverage.ts always defines it; a bare build of this file stops here instead of guessing a top.
  `INT8COSIM_COV_DUT_must_name_the_top_module
`endif
  `INT8COSIM_COV_DUT #(
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

  logic [31:0] w [0:InW-1];
  string in_file, out_file;
  int fin, fout, cycles, code;

  task automatic read_beat();
    for (int i = 0; i < InW; i++) code = $fscanf(fin, "%h", w[i]);
    w_en    = w[0][0];
    w_bank  = w[1][0];
    w_row   = w[2][RowW-1:0];
    a_en    = w[3][0];
    a_bank  = w[4][0];
    a_first = w[5][0];
    a_last  = w[6][0];
    a_addr  = w[7][AddrW-1:0];
    p_en    = w[8][0];
    p_col   = w[9][ColW-1:0];
    p_bias  = w[10];
    p_m0    = w[11];
    p_shift = w[12][7:0];
    c_en    = w[13][0];
    c_zp    = w[14][7:0];
    c_min   = w[15][7:0];
    c_max   = w[16][7:0];
    for (int c = 0; c < Cols; c++) w_data[8*c +: 8] = w[17 + c][7:0];
    for (int r = 0; r < Rows; r++) a_data[8*r +: 8] = w[17 + Cols + r][7:0];
  endtask

  task automatic write_outputs();
    $fwrite(fout, "%h %h", 32'(o_valid), 32'(o_addr));
    for (int c = 0; c < Cols; c++) $fwrite(fout, " %h", 32'($signed(o_data[8*c +: 8])));
    for (int c = 0; c < Cols; c++) $fwrite(fout, " %h", o_acc[32*c +: 32]);
    $fwrite(fout, "\n");
  endtask

  initial begin
    if (!$value$plusargs("in=%s", in_file) || !$value$plusargs("out=%s", out_file)) $fatal(1, "cov_tb: needs +in=<file> +out=<file>");
    fin = $fopen(in_file, "r");
    fout = $fopen(out_file, "w");
    if (fin == 0 || fout == 0) $fatal(1, "cov_tb: cannot open %s or %s", in_file, out_file);
    code = $fscanf(fin, "%d", cycles);
    clk   = 1'b0;
    rst_n = 1'b1;
    {w_en, w_bank, w_row, w_data, a_en, a_bank, a_first, a_last, a_addr, a_data} = '0;
    {p_en, p_col, p_bias, p_m0, p_shift, c_en, c_zp, c_min, c_max} = '0;
    #1;
    rst_n = 1'b0;  // a falling edge, so that every flop's asynchronous reset branch runs
    for (int i = 0; i < 2; i++) begin
      #1;
      clk = 1'b1;  // clock edges while in reset (the reset branch wins)
      #1;
      clk = 1'b0;
    end
    #1;
    rst_n = 1'b1;
    for (int t = 0; t < cycles; t++) begin
      read_beat();
      #1;
      write_outputs();
      clk = 1'b1;
      #1;
      clk = 1'b0;
    end
    $fclose(fin);
    $fclose(fout);
    $finish;
  end
endmodule
