// Testbench of systolic_requant alone: reads N vectors {acc, bias, m0, shift, zp, min, max, round} (136 bits, hex,
// one a line; round is the c_round_i code in the low 8 bits) from +in=<file>, applies each for one time step, and
// writes {x, y, 24'b0, q} (96 bits) to +out=<file>. The mocha test (requant.test.ts) writes the vectors and
// compares the results with quant/spec.
module requant_tb #(
  parameter int RoundingModes = 7,
  parameter int MaxVectors    = 1 << 21
);
  logic [135:0] vec_mem [0:MaxVectors-1];
  logic [95:0]  res_mem [0:MaxVectors-1];

  logic signed [31:0] acc, bias, m0, x, y;
  logic signed [7:0]  shift, zp, act_min, act_max, q;
  logic        [1:0]  round;
  // Waiver: the vector's last byte carries the 2-bit c_round_i code; its upper bits are padding.
  /* verilator lint_off UNUSEDSIGNAL */
  logic        [5:0]  round_pad;
  /* verilator lint_on UNUSEDSIGNAL */

  systolic_requant #(
    .RoundingModes(RoundingModes)
  ) u_dut (
    .en_i   (1'b1),
    .acc_i  (acc),
    .bias_i (bias),
    .m0_i   (m0),
    .shift_i(shift),
    .zp_i   (zp),
    .min_i  (act_min),
    .max_i  (act_max),
    .round_i(round),
    .x_o    (x),
    .y_o    (y),
    .q_o    (q)
  );

  string in_file, out_file;
  int n;

  initial begin
    if (!$value$plusargs("in=%s", in_file) || !$value$plusargs("out=%s", out_file) || !$value$plusargs("n=%d", n)) begin
      $fatal(1, "requant_tb: needs +in=<file> +out=<file> +n=<count>");
    end
    if (n < 1 || n > MaxVectors) $fatal(1, "requant_tb: +n=%0d outside [1, %0d]", n, MaxVectors);
    $readmemh(in_file, vec_mem, 0, n - 1);
    for (int i = 0; i < n; i++) begin
      {acc, bias, m0, shift, zp, act_min, act_max, round_pad, round} = vec_mem[i];
      #1;
      res_mem[i] = {x, y, 24'd0, q};
    end
    $writememh(out_file, res_mem, 0, n - 1);
    $finish;
  end
endmodule
