// Generated from hw-sim/contract (docs/ARCHITECTURE.md sections 3, 6, 7) by hw-sim/contract/sv-include.ts. Do not
// edit: test/hw-sim/contract.test.ts checks that this file is what the contract renders.
// Included inside a testbench module with parameters Rows, Cols and AccDepth: one signal per port of the array,
// named as the port, and the word layouts of one cycle (32-bit words, signed fields sign-extended).
localparam int IcInWords   = 18 + Cols + Rows;
localparam int IcOutWords  = 2 + 2 * Cols;
localparam int IcRegsPerPe = 6;
localparam int IcRegWords  = 6 * Rows * Cols;

logic clk_i;
logic rst_ni;
logic w_en_i;
logic w_bank_i;
logic [$clog2(Rows)-1:0] w_row_i;
logic [8*Cols-1:0] w_data_i;
logic a_en_i;
logic a_bank_i;
logic a_first_i;
logic a_last_i;
logic [$clog2(AccDepth)-1:0] a_addr_i;
logic [8*Rows-1:0] a_data_i;
logic p_en_i;
logic [$clog2(Cols)-1:0] p_col_i;
logic [31:0] p_bias_i;
logic [31:0] p_m0_i;
logic [7:0] p_shift_i;
logic c_en_i;
logic [7:0] c_zp_i;
logic [7:0] c_min_i;
logic [7:0] c_max_i;
logic [1:0] c_round_i;
logic o_valid_o;
logic [$clog2(AccDepth)-1:0] o_addr_o;
logic [8*Cols-1:0] o_data_o;
logic [32*Cols-1:0] o_acc_o;

// The port connections of the array instance, by name.
`define IC_CONNECT_PORTS \
  .clk_i(clk_i), .rst_ni(rst_ni), .w_en_i(w_en_i), .w_bank_i(w_bank_i), .w_row_i(w_row_i), .w_data_i(w_data_i), .a_en_i(a_en_i), .a_bank_i(a_bank_i), .a_first_i(a_first_i), .a_last_i(a_last_i), .a_addr_i(a_addr_i), .a_data_i(a_data_i), .p_en_i(p_en_i), .p_col_i(p_col_i), .p_bias_i(p_bias_i), .p_m0_i(p_m0_i), .p_shift_i(p_shift_i), .c_en_i(c_en_i), .c_zp_i(c_zp_i), .c_min_i(c_min_i), .c_max_i(c_max_i), .c_round_i(c_round_i), .o_valid_o(o_valid_o), .o_addr_o(o_addr_o), .o_data_o(o_data_o), .o_acc_o(o_acc_o)

// Every beat input to 0.
`define IC_ZERO_INPUTS \
  w_en_i = '0; w_bank_i = '0; w_row_i = '0; w_data_i = '0; a_en_i = '0; a_bank_i = '0; a_first_i = '0; a_last_i = '0; a_addr_i = '0; a_data_i = '0; p_en_i = '0; p_col_i = '0; p_bias_i = '0; p_m0_i = '0; p_shift_i = '0; c_en_i = '0; c_zp_i = '0; c_min_i = '0; c_max_i = '0; c_round_i = '0;

// The input beat at words mem[b .. b + IcInWords - 1] (section 7) onto the input signals.
`define IC_UNPACK_IN(mem, b) \
  w_en_i = mem[(b) + 0][0:0]; \
  w_bank_i = mem[(b) + 1][0:0]; \
  w_row_i = mem[(b) + 2][$clog2(Rows)-1:0]; \
  a_en_i = mem[(b) + 3][0:0]; \
  a_bank_i = mem[(b) + 4][0:0]; \
  a_first_i = mem[(b) + 5][0:0]; \
  a_last_i = mem[(b) + 6][0:0]; \
  a_addr_i = mem[(b) + 7][$clog2(AccDepth)-1:0]; \
  p_en_i = mem[(b) + 8][0:0]; \
  p_col_i = mem[(b) + 9][$clog2(Cols)-1:0]; \
  p_bias_i = mem[(b) + 10][31:0]; \
  p_m0_i = mem[(b) + 11][31:0]; \
  p_shift_i = mem[(b) + 12][7:0]; \
  c_en_i = mem[(b) + 13][0:0]; \
  c_zp_i = mem[(b) + 14][7:0]; \
  c_min_i = mem[(b) + 15][7:0]; \
  c_max_i = mem[(b) + 16][7:0]; \
  c_round_i = mem[(b) + 17][1:0]; \
  for (int c = 0; c < Cols; c++) w_data_i[8*c +: 8] = mem[(b) + 18 + c][7:0]; \
  for (int r = 0; r < Rows; r++) a_data_i[8*r +: 8] = mem[(b) + 18 + Cols + r][7:0];

// The output signals into the output beat at words mem[b .. b + IcOutWords - 1] (section 7).
`define IC_PACK_OUT(mem, b) \
  mem[(b) + 0] = 32'(o_valid_o); \
  mem[(b) + 1] = 32'(o_addr_o); \
  for (int c = 0; c < Cols; c++) mem[(b) + 2 + c] = 32'($signed(o_data_o[8*c +: 8])); \
  for (int c = 0; c < Cols; c++) mem[(b) + 2 + Cols + c] = 32'($signed(o_acc_o[32*c +: 32]));

// The registers of PE (r, c) of instance dut (section 6) into readout words dst[IcRegsPerPe * (r * Cols + c) + i],
// as continuous assignments (r and c are genvars).
`define IC_PE_READOUT(dut, r, c, dst) \
  assign dst[IcRegsPerPe * ((r) * Cols + (c)) + 0] = 32'($signed(dut.u_array.g_row[r].g_col[c].u_pe.w0_q)); \
  assign dst[IcRegsPerPe * ((r) * Cols + (c)) + 1] = 32'($signed(dut.u_array.g_row[r].g_col[c].u_pe.w1_q)); \
  assign dst[IcRegsPerPe * ((r) * Cols + (c)) + 2] = 32'($signed(dut.u_array.g_row[r].g_col[c].u_pe.a_q)); \
  assign dst[IcRegsPerPe * ((r) * Cols + (c)) + 3] = 32'(dut.u_array.g_row[r].g_col[c].u_pe.v_q); \
  assign dst[IcRegsPerPe * ((r) * Cols + (c)) + 4] = 32'(dut.u_array.g_row[r].g_col[c].u_pe.bank_q); \
  assign dst[IcRegsPerPe * ((r) * Cols + (c)) + 5] = 32'($signed(dut.u_array.g_row[r].g_col[c].u_pe.psum_q));
