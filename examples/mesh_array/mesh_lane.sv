// One output lane of the mesh (column Col): everything between the bottom of the column and its output bytes.
//   de-skew pipe (Cols-1-Col registers) -> accumulator memory (AccDepth int32, not reset) and acc_q
//   -> requantizer with this column's bias / m0 / shift registers -> out_data_q, out_acc_q.
// Timing (docs/ARCHITECTURE.md section 4): the de-skewed sum of a beat of cycle t arrives in cycle t+Rows+Cols-1,
// the accumulate cycle, together with acc_en_i/first/last/addr from the sequencer; acc_q holds the sum from the
// next cycle (the requantize cycle, acc_valid_i high); the output bytes are registered at its end.
//
// AccRead (the define MESH_ACC_READ, see mesh_defs.svh) selects how the memory is read:
//   0  combinationally at acc_addr_i in the accumulate cycle;
//   1  synchronously: rd_addr_i (the same beat's address, one cycle earlier) is read into rd_q, and a write in
//      that cycle to the same address is forwarded, so rd_q equals the combinational read a cycle later.
`include "mesh_defs.svh"

module mesh_lane #(
  parameter int unsigned Cols         = 8,
  parameter int unsigned Col          = 0,
  parameter int unsigned AccDepth     = 1024,
  parameter int unsigned RoundingModes = 7,
  parameter int unsigned AccRead      = 0,
  localparam int unsigned AddrW       = `MESH_IDX_W(AccDepth)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // this column's bottom partial sum (before de-skew)
  input  logic [31:0]        psum_i,
  // requantization parameters of this column
  input  logic               prm_we_i,
  input  logic [31:0]        prm_bias_i,
  input  logic [31:0]        prm_m0_i,
  input  logic [7:0]         prm_shift_i,
  // per-tensor output configuration (registered in the sequencer)
  input  logic [7:0]         zp_i,
  input  logic [7:0]         lo_i,
  input  logic [7:0]         hi_i,
  input  logic [1:0]         mode_i,
  // the control line at the accumulate stage, and one stage earlier (read address of AccRead = 1)
  input  logic               acc_en_i,
  input  logic               acc_first_i,
  input  logic               acc_last_i,
  input  logic [AddrW-1:0]   acc_addr_i,
  input  logic [AddrW-1:0]   rd_addr_i,
  // the requantize stage is valid (acc_q holds a last sum)
  input  logic               acc_valid_i,
  output logic [7:0]         out_data_o,
  output logic [31:0]        out_acc_o
);

  `MESH_STATIC_CHECK(g_bad_read, AccRead <= 1, ("mesh_lane: AccRead (define MESH_ACC_READ) must be 0 or 1"))

  // ---- de-skew ------------------------------------------------------------------------------------------------
  logic signed [31:0] psum;

  mesh_pipe #(
    .Width (32),
    .Stages(Cols - 1 - Col)
  ) u_deskew (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .in_i  (psum_i),
    .out_o (psum)
  );

  // ---- parameter registers ------------------------------------------------------------------------------------
  logic signed [31:0] bias_q, bias_d;
  logic signed [31:0] m0_q, m0_d;
  logic signed [7:0]  shift_q, shift_d;

  always_comb begin
    bias_d  = bias_q;
    m0_d    = m0_q;
    shift_d = shift_q;
    if (prm_we_i) begin
      bias_d  = prm_bias_i;
      m0_d    = prm_m0_i;
      shift_d = prm_shift_i;
    end
  end

  `MESH_FF(bias_q, bias_d)
  `MESH_FF(m0_q, m0_d)
  `MESH_FF(shift_q, shift_d)

  // ---- accumulator memory -------------------------------------------------------------------------------------
  logic signed [31:0] mem_q [AccDepth];
  logic signed [31:0] prev;  // mem[acc_addr_i] as the contract reads it in the accumulate cycle
  logic signed [31:0] sum;   // first ? psum : wrap32(prev + psum)

  always_comb begin
    sum = psum;
    if (!acc_first_i) sum = prev + psum;
  end

  // A memory write port: not reset (the contract leaves the accumulator memory undefined until written).
  always_ff @(posedge clk_i) begin
    if (acc_en_i) mem_q[acc_addr_i] <= sum;
  end

  if (AccRead == 0) begin : g_comb_read
    // Waiver: the early read address is the synchronous style's; this style reads at acc_addr_i.
    /* verilator lint_off UNUSEDSIGNAL */
    logic [AddrW-1:0] unused_rd_addr;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_rd_addr = rd_addr_i;
    assign prev = mem_q[acc_addr_i];
  end else begin : g_sync_read
    logic signed [31:0] rd_q, rd_d;
    always_comb begin
      rd_d = mem_q[rd_addr_i];
      if (acc_en_i && acc_addr_i == rd_addr_i) rd_d = sum;  // written at this edge: forward the new value
    end
    // A RAM's read register: not reset (what it holds before the first read is never used).
    always_ff @(posedge clk_i) rd_q <= rd_d;
    assign prev = rd_q;
  end

  // ---- acc_q --------------------------------------------------------------------------------------------------
  logic signed [31:0] acc_q, acc_d;

  always_comb begin
    acc_d = acc_q;
    if (acc_en_i && acc_last_i) acc_d = sum;
  end

  `MESH_FF(acc_q, acc_d)

  // ---- requantizer and output registers -----------------------------------------------------------------------
  logic signed [31:0] x;
  logic signed [7:0]  q;

  mesh_requant #(
    .RoundingModes(RoundingModes)
  ) u_requant (
    .acc_i  (acc_q),
    .bias_i (bias_q),
    .m0_i   (m0_q),
    .shift_i(shift_q),
    .zp_i   (zp_i),
    .lo_i   (lo_i),
    .hi_i   (hi_i),
    .mode_i (mode_i),
    .x_o    (x),
    .q_o    (q)
  );

  logic [7:0]  out_data_q, out_data_d;
  logic [31:0] out_acc_q, out_acc_d;

  always_comb begin
    out_data_d = out_data_q;
    out_acc_d  = out_acc_q;
    if (acc_valid_i) begin
      out_data_d = q;
      out_acc_d  = x;
    end
  end

  `MESH_FF(out_data_q, out_data_d)
  `MESH_FF(out_acc_q, out_acc_d)

  assign out_data_o = out_data_q;
  assign out_acc_o  = out_acc_q;

endmodule
