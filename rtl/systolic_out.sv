// The output registers of docs/ARCHITECTURE.md section 3, which drive the ports o_valid_o, o_addr_o, o_data_o and
// o_acc_o straight from flops: o_valid_q takes valid_i in every cycle; o_addr_q, o_data_q and o_acc_q load the row
// (addr_i, data_i, acc_i) in a cycle with valid_i and hold it otherwise, so that the ports keep the last row
// between valid rows. systolic_top loads them from the requantizers; a top built around it (examples/output_fifo)
// may use the same registers behind its own output stage.
module systolic_out #(
  parameter int Cols     = 8,
  parameter int AccDepth = 1024,
  localparam int AddrW = $clog2(AccDepth)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // the row of this cycle, if valid_i
  input  logic               valid_i,
  input  logic [AddrW-1:0]   addr_i,
  input  logic [8*Cols-1:0]  data_i,
  input  logic [32*Cols-1:0] acc_i,
  // the output ports of section 3
  output logic               o_valid_o,
  output logic [AddrW-1:0]   o_addr_o,
  output logic [8*Cols-1:0]  o_data_o,
  output logic [32*Cols-1:0] o_acc_o
);

  logic               o_valid_q, o_valid_d;
  logic [AddrW-1:0]   o_addr_q, o_addr_d;
  logic [8*Cols-1:0]  o_data_q, o_data_d;
  logic [32*Cols-1:0] o_acc_q, o_acc_d;

  assign o_valid_d = valid_i;
  assign o_addr_d  = valid_i ? addr_i : o_addr_q;
  assign o_data_d  = valid_i ? data_i : o_data_q;
  assign o_acc_d   = valid_i ? acc_i : o_acc_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      o_valid_q <= 1'b0;
      o_addr_q  <= '0;
      o_data_q  <= '0;
      o_acc_q   <= '0;
    end else begin
      o_valid_q <= o_valid_d;
      o_addr_q  <= o_addr_d;
      o_data_q  <= o_data_d;
      o_acc_q   <= o_acc_d;
    end
  end

  assign o_valid_o = o_valid_q;
  assign o_addr_o  = o_addr_q;
  assign o_data_o  = o_data_q;
  assign o_acc_o   = o_acc_q;

endmodule
