// Streaming testbench of an RTL config's top for the coverage build (Verilator --coverage-line --coverage-toggle).
// The top is named by the define INT8COSIM_COV_DUT (coverage.ts sets it from the config: systolic_top for rtl/,
// any other top with the ports and parameters of docs/ARCHITECTURE.md sections 1 and 3).
// Unlike rtl/tb/beat_tb.sv it holds no beat memory: it reads the cycle count and then the input beats of
// docs/ARCHITECTURE.md section 7 (IcInWords hex words a cycle) from +in=<file>, one cycle at a time, and writes the
// output beat of every cycle (IcOutWords hex words, one line a cycle) to +out=<file>, so that a regression of any
// length fits. Reset falls, is held for two clock edges and released before cycle 0 (as the harness's ic_reset).
// The signals, connections and word layouts come from rtl/tb/ic_beat.svh, generated from hw-sim/contract.
module cov_tb #(
  parameter int Rows         = 3,
  parameter int Cols         = 5,
  parameter int AccDepth     = 8,
  parameter int RoundingModes = 7
);
  `include "ic_beat.svh"

`ifndef INT8COSIM_COV_DUT
  // coverage.ts always defines it; a bare build of this file stops here instead of guessing a top.
  `INT8COSIM_COV_DUT_must_name_the_top_module
`endif
  `INT8COSIM_COV_DUT #(
    .Rows        (Rows),
    .Cols        (Cols),
    .AccDepth    (AccDepth),
    .RoundingModes(RoundingModes)
  ) dut (`IC_CONNECT_PORTS);

  logic [31:0] w [0:IcInWords-1];
  logic [31:0] o [0:IcOutWords-1];
  string in_file, out_file;
  int fin, fout, cycles, code;

  task automatic read_beat();
    for (int i = 0; i < IcInWords; i++) code = $fscanf(fin, "%h", w[i]);
    `IC_UNPACK_IN(w, 0)
  endtask

  task automatic write_outputs();
    `IC_PACK_OUT(o, 0)
    $fwrite(fout, "%h", o[0]);
    for (int i = 1; i < IcOutWords; i++) $fwrite(fout, " %h", o[i]);
    $fwrite(fout, "\n");
  endtask

  initial begin
    if (!$value$plusargs("in=%s", in_file) || !$value$plusargs("out=%s", out_file)) $fatal(1, "cov_tb: needs +in=<file> +out=<file>");
    fin = $fopen(in_file, "r");
    fout = $fopen(out_file, "w");
    if (fin == 0 || fout == 0) $fatal(1, "cov_tb: cannot open %s or %s", in_file, out_file);
    code = $fscanf(fin, "%d", cycles);
    clk_i  = 1'b0;
    rst_ni = 1'b1;
    `IC_ZERO_INPUTS
    #1;
    rst_ni = 1'b0;  // a falling edge, so that every flop's asynchronous reset branch runs
    for (int i = 0; i < 2; i++) begin
      #1;
      clk_i = 1'b1;  // clock edges while in reset (the reset branch wins)
      #1;
      clk_i = 1'b0;
    end
    #1;
    rst_ni = 1'b1;
    for (int t = 0; t < cycles; t++) begin
      read_beat();
      #1;
      write_outputs();
      clk_i = 1'b1;
      #1;
      clk_i = 1'b0;
    end
    $fclose(fin);
    $fclose(fout);
    $finish;
  end
endmodule
