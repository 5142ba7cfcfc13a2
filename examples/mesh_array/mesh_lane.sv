// One output lane of the mesh: everything between the column's de-skewed bottom sum and its output bytes.
//   accumulator memory (AccDepth int32, not reset) and acc_q -> requantizer with this column's parameter register
//   prm_q (bias, m0, shift) -> out_data_q, out_acc_q.
// Timing (docs/ARCHITECTURE.md section 4): the de-skewed sum of a beat of cycle t arrives in cycle t+Rows+Cols-1,
// the accumulate cycle, together with the control line's {en, first, last, addr} from the sequencer; acc_q holds the
// sum from the next cycle (the requantize cycle, acc_valid_i high); the output bytes are registered at its end.
//
// AccRead (the define MESH_ACC_READ, see mesh_defs.svh) selects how the memory is read:
//   0  combinationally at the accumulate stage's address;
//   1  synchronously: rd_addr_i (the same beat's address, one cycle earlier) is read into rd_q, and a write in
//      that cycle to the same address is forwarded, so rd_q equals the combinational read a cycle later.
`include "mesh_defs.svh"

module mesh_lane #(
  parameter int unsigned AccDepth      = 1024,
  parameter int unsigned RoundingModes = 7,
  parameter int unsigned AccRead       = 0,
  localparam int unsigned AddrW        = `MESH_IDX_W(AccDepth)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // this column's bottom partial sum, de-skewed
  input  logic signed [31:0] psum_i,
  // requantization parameters of this column, and the per-tensor output configuration (held in the sequencer)
  input  logic               prm_we_i,
  input  mesh_pkg::col_prm_t prm_i,
  input  mesh_pkg::out_cfg_t cfg_i,
  // the control line at the accumulate stage, {en, first, last, addr}, and the address one stage earlier (read
  // address of AccRead = 1)
  input  logic [AddrW+2:0]   acc_ctl_i,
  input  logic [AddrW-1:0]   rd_addr_i,
  // the requantize stage is valid (acc_q holds a last sum)
  input  logic               acc_valid_i,
  output logic [7:0]         out_data_o,
  output logic [31:0]        out_acc_o
);

  `MESH_STATIC_CHECK(g_bad_read, AccRead <= 1, ("mesh_lane: AccRead (define MESH_ACC_READ) must be 0 or 1"))

  logic             acc_en, acc_first, acc_last;
  logic [AddrW-1:0] acc_addr;
  assign {acc_en, acc_first, acc_last, acc_addr} = acc_ctl_i;

  // ---- parameter register -------------------------------------------------------------------------------------
  mesh_pkg::col_prm_t prm_q;
  `MESH_FFL(prm_q, prm_i, prm_we_i)

  // ---- accumulator memory -------------------------------------------------------------------------------------
  logic signed [31:0] mem_q [AccDepth];
  logic signed [31:0] prev;  // mem[acc_addr] as the contract reads it in the accumulate cycle
  logic signed [31:0] sum;   // first ? psum : wrap32(prev + psum)

  always_comb begin
    sum = psum_i;
    if (!acc_first) sum = prev + psum_i;
  end

  // A memory write port: not reset (the contract leaves the accumulator memory undefined until written).
  always_ff @(posedge clk_i) begin
    if (acc_en) mem_q[acc_addr] <= sum;
  end

  if (AccRead == 0) begin : g_comb_read
    // Waiver: the early read address is the synchronous style's; this style reads at acc_addr.
    /* verilator lint_off UNUSEDSIGNAL */
    logic [AddrW-1:0] unused_rd_addr;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_rd_addr = rd_addr_i;
    assign prev = mem_q[acc_addr];
  end else begin : g_sync_read
    logic signed [31:0] rd_q, rd_d;
    always_comb begin
      rd_d = mem_q[rd_addr_i];
      if (acc_en && acc_addr == rd_addr_i) rd_d = sum;  // written at this edge: forward the new value
    end
    // A RAM's read register: not reset (what it holds before the first read is never used).
    always_ff @(posedge clk_i) rd_q <= rd_d;
    assign prev = rd_q;
  end

  // ---- acc_q --------------------------------------------------------------------------------------------------
  logic signed [31:0] acc_q;
  `MESH_FFL(acc_q, sum, acc_en && acc_last)

  // ---- requantizer and output registers -----------------------------------------------------------------------
  logic signed [31:0] x;
  logic signed [7:0]  q;

  mesh_requant #(
    .RoundingModes(RoundingModes)
  ) u_requant (
    .acc_i(acc_q),
    .prm_i(prm_q),
    .cfg_i(cfg_i),
    .x_o  (x),
    .q_o  (q)
  );

  logic [7:0]  out_data_q;
  logic [31:0] out_acc_q;
  `MESH_FFL(out_data_q, q, acc_valid_i)
  `MESH_FFL(out_acc_q, x, acc_valid_i)

  assign out_data_o = out_data_q;
  assign out_acc_o  = out_acc_q;

endmodule
