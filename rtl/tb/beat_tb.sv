// Beat-file testbench of systolic_top (a thin driver until the harness drives the RTL through its FFI).
// Reads `cycles` input beats of docs/ARCHITECTURE.md section 7 (IcInWords 32-bit words each, hex, one a line)
// from +in=<file>; for every cycle t it drives the inputs, samples the outputs (IcOutWords words) and the PE
// registers (the readout layout of section 6) as they are before edge t, then clocks. Writes the outputs to
// +out=<file> and the registers to +regs=<file>. Reset is asserted before cycle 0 and released before its edge.
// The signals, connections and word layouts come from ic_beat.svh, generated from hw-sim/contract.
module beat_tb #(
  parameter int Rows          = 4,
  parameter int Cols          = 4,
  parameter int AccDepth      = 16,
  parameter int RoundingModes = 7,
  parameter int MaxCycles     = 4096
);
  // The ports as signals, their connections and the word layouts, from the contract (hw-sim/contract).
  `include "ic_beat.svh"

  logic [31:0] in_mem  [0:IcInWords*MaxCycles-1];
  logic [31:0] out_mem [0:IcOutWords*MaxCycles-1];
  logic [31:0] reg_mem [0:IcRegWords*MaxCycles-1];

  systolic_top #(
    .Rows         (Rows),
    .Cols         (Cols),
    .AccDepth     (AccDepth),
    .RoundingModes(RoundingModes)
  ) dut (`IC_CONNECT_PORTS);

  // The PE registers, in readout order.
  logic [31:0] pe_words [0:IcRegWords-1];
  for (genvar r = 0; r < Rows; r++) begin : g_r
    for (genvar c = 0; c < Cols; c++) begin : g_c
      `IC_PE_READOUT(dut, r, c, pe_words)
    end
  end

  string in_file, out_file, regs_file;
  int cycles;

  task automatic drive(input int t);
    `IC_UNPACK_IN(in_mem, t * IcInWords)
  endtask

  task automatic sample(input int t);
    `IC_PACK_OUT(out_mem, t * IcOutWords)
    for (int i = 0; i < IcRegWords; i++) reg_mem[t * IcRegWords + i] = pe_words[i];
  endtask

  initial begin
    if (!$value$plusargs("in=%s", in_file) || !$value$plusargs("out=%s", out_file) ||
        !$value$plusargs("regs=%s", regs_file) || !$value$plusargs("cycles=%d", cycles)) begin
      $fatal(1, "beat_tb: needs +in=<file> +out=<file> +regs=<file> +cycles=<n>");
    end
    if (cycles < 1 || cycles > MaxCycles) $fatal(1, "beat_tb: +cycles=%0d outside [1, %0d]", cycles, MaxCycles);
    $readmemh(in_file, in_mem, 0, IcInWords * cycles - 1);
    clk_i  = 1'b0;
    rst_ni = 1'b0;
    drive(0);
    #1;
    rst_ni = 1'b1;
    for (int t = 0; t < cycles; t++) begin
      drive(t);
      #1;
      sample(t);
      clk_i = 1'b1;
      #1;
      clk_i = 1'b0;
    end
    $writememh(out_file, out_mem, 0, IcOutWords * cycles - 1);
    $writememh(regs_file, reg_mem, 0, IcRegWords * cycles - 1);
    $finish;
  end
endmodule
