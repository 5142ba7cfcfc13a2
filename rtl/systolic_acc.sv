// The accumulators of all columns: one memory of AccDepth rows of Cols int32 sums (not reset), and the
// registers acc_q (per column), acc_valid_q and acc_addr_q that feed the requantizers.
//
// In the accumulate cycle (en_i): sum = first_i ? psum_i : wrap32(acc_mem[addr_i] + psum_i); acc_mem[addr_i] <=
// sum; if last_i the sums, the address and a valid bit go to acc_q, acc_addr_q, acc_valid_q. Otherwise
// acc_valid_q <= 0 and acc_q, acc_addr_q hold.
//
// The memory is read synchronously one cycle early (rd_addr_i is the next accumulate address), so that it can map
// to block RAM; a write to the same address in that cycle is forwarded (fwd_q), which makes the read behave exactly
// like the combinational read of docs/ARCHITECTURE.md.
module systolic_acc #(
  parameter int Cols     = 8,
  parameter int AccDepth = 1024,
  localparam int AddrW = $clog2(AccDepth)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic [AddrW-1:0]   rd_addr_i,
  input  logic               en_i,
  input  logic               first_i,
  input  logic               last_i,
  input  logic [AddrW-1:0]   addr_i,
  input  logic [32*Cols-1:0] psum_i,
  output logic [32*Cols-1:0] acc_o,
  output logic               acc_valid_o,
  output logic [AddrW-1:0]   acc_addr_o
);

  // Memory and its read register: no reset (block RAM has none), written only by a valid accumulate beat.
  logic [32*Cols-1:0] acc_mem [0:AccDepth-1];
  logic [32*Cols-1:0] rd_data;
  logic [32*Cols-1:0] sum;

  always_ff @(posedge clk_i) begin
    if (en_i) acc_mem[addr_i] <= sum;
    rd_data <= acc_mem[rd_addr_i];
  end

  logic               fwd_q, fwd_d;
  logic [32*Cols-1:0] fwd_data_q, fwd_data_d;
  logic [32*Cols-1:0] acc_q, acc_d;
  logic               acc_valid_q, acc_valid_d;
  logic [AddrW-1:0]   acc_addr_q, acc_addr_d;
  logic [32*Cols-1:0] old;

  assign old = fwd_q ? fwd_data_q : rd_data;
  for (genvar c = 0; c < Cols; c++) begin : g_col
    assign sum[32*c +: 32] = first_i ? psum_i[32*c +: 32] : old[32*c +: 32] + psum_i[32*c +: 32];
  end

  assign fwd_d       = en_i && (addr_i == rd_addr_i);
  assign fwd_data_d  = sum;
  assign acc_valid_d = en_i && last_i;
  assign acc_d       = acc_valid_d ? sum : acc_q;
  assign acc_addr_d  = acc_valid_d ? addr_i : acc_addr_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fwd_q       <= 1'b0;
      fwd_data_q  <= '0;
      acc_q       <= '0;
      acc_valid_q <= 1'b0;
      acc_addr_q  <= '0;
    end else begin
      fwd_q       <= fwd_d;
      fwd_data_q  <= fwd_data_d;
      acc_q       <= acc_d;
      acc_valid_q <= acc_valid_d;
      acc_addr_q  <= acc_addr_d;
    end
  end

  assign acc_o       = acc_q;
  assign acc_valid_o = acc_valid_q;
  assign acc_addr_o  = acc_addr_q;

endmodule
