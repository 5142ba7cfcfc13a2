// mesh_array_top: a second implementation of the weight-stationary int8 array of docs/ARCHITECTURE.md, written
// from the contract alone (ports of section 3, timing of section 4; it does not follow rtl/'s structure).
//
//   ports -> parameter-column decode (here)
//         -> u_mesh: mesh_grid, weight-row decode, input skew, Rows x Cols mesh_cell (g_r[r].g_c[c].u_cell), de-skew
//         -> g_lane[c].u_lane: mesh_lane, accumulator memory, acc_q, mesh_requant, output bytes
//         u_seq: mesh_sequencer, output configuration, control line, output valid and address
// The bundles passed between them are the packed types of mesh_pkg.
//
// Parameters as the harness sets them (-G): Rows, Cols in 2..32, AccDepth a power of two in 2..4096,
// RoundingModes a mask of the requantizer's modes (bit 0 single, 1 double, 2 ruy; default 7), each program
// choosing one with c_round_i. The define MESH_ACC_READ (0 or 1, include/mesh_defs.svh) selects the
// accumulator read style and must be given. The port list is the contract's own, `INT8COSIM_PORTS of
// int8cosim_ports.svh (found through the config's second include directory, rtl/include), as a user's top may use it.
`include "mesh_defs.svh"
`include "int8cosim_ports.svh"

module mesh_array_top #(
  parameter int unsigned Rows         = 8,
  parameter int unsigned Cols         = 8,
  parameter int unsigned AccDepth     = 1024,
  parameter int unsigned RoundingModes = 7,
  localparam int unsigned AddrW       = `MESH_IDX_W(AccDepth)
) (
  `INT8COSIM_PORTS  // the ports of section 3 as hw-sim/contract renders them
);

  // The accumulator read style: no default on purpose (include/mesh_defs.svh), the RTL config sets it.
  localparam int unsigned AccRead = `MESH_ACC_READ;

  // ---- parameter checks (elaboration) -------------------------------------------------------------------------
  `MESH_STATIC_CHECK(g_bad_rows, Rows >= 2 && Rows <= 32, ("mesh_array_top: Rows must be in [2, 32]"))
  `MESH_STATIC_CHECK(g_bad_cols, Cols >= 2 && Cols <= 32, ("mesh_array_top: Cols must be in [2, 32]"))
  `MESH_STATIC_CHECK(g_bad_depth, AccDepth >= 2 && AccDepth <= 4096 && (AccDepth & (AccDepth - 1)) == 0,
                     ("mesh_array_top: AccDepth must be a power of two in [2, 4096]"))
  `MESH_STATIC_CHECK(g_bad_modes, RoundingModes >= 1 && RoundingModes <= 7,
                     ("mesh_array_top: RoundingModes must be a mask in 1..7 (bit 0 single, 1 double, 2 ruy)"))
  `MESH_STATIC_CHECK(g_bad_read, AccRead == 0 || AccRead == 1,
                     ("mesh_array_top: the define MESH_ACC_READ must be 0 (combinational) or 1 (synchronous); set it in the RTL config's \"defines\""))

  // ---- decode: the column a parameter write goes to, the two configuration bundles ----------------------------
  logic [Cols-1:0]    p_col_we;
  mesh_pkg::col_prm_t prm;
  mesh_pkg::out_cfg_t cfg_in;

  always_comb begin
    p_col_we = '0;
    for (int unsigned c = 0; c < Cols; c++) p_col_we[c] = p_en_i && (32'(p_col_i) == c);
  end

  assign prm    = '{bias: p_bias_i, m0: p_m0_i, shift: p_shift_i};
  assign cfg_in = '{mode: c_round_i, hi: c_max_i, lo: c_min_i, zp: c_zp_i};

  // ---- mesh ---------------------------------------------------------------------------------------------------
  logic [32*Cols-1:0] col_psum;

  mesh_grid #(
    .Rows(Rows),
    .Cols(Cols)
  ) u_mesh (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .wr_en_i    (w_en_i),
    .wr_row_i   (w_row_i),
    .wr_bank_i  (w_bank_i),
    .wr_data_i  (w_data_i),
    .beat_en_i  (a_en_i),
    .beat_bank_i(a_bank_i),
    .beat_data_i(a_data_i),
    .psum_o     (col_psum)
  );

  // ---- sequencer ----------------------------------------------------------------------------------------------
  mesh_pkg::out_cfg_t cfg;
  logic [AddrW+2:0]   acc_ctl;
  logic [AddrW-1:0]   rd_addr;
  logic               acc_valid;

  mesh_sequencer #(
    .Rows    (Rows),
    .Cols    (Cols),
    .AccDepth(AccDepth)
  ) u_seq (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .cfg_we_i    (c_en_i),
    .cfg_i       (cfg_in),
    .cfg_o       (cfg),
    .beat_en_i   (a_en_i),
    .beat_first_i(a_first_i),
    .beat_last_i (a_last_i),
    .beat_addr_i (a_addr_i),
    .acc_ctl_o   (acc_ctl),
    .rd_addr_o   (rd_addr),
    .acc_valid_o (acc_valid),
    .out_valid_o (o_valid_o),
    .out_addr_o  (o_addr_o)
  );

  // ---- lanes --------------------------------------------------------------------------------------------------
  for (genvar c = 0; c < Cols; c++) begin : g_lane
    mesh_lane #(
      .AccDepth     (AccDepth),
      .RoundingModes(RoundingModes),
      .AccRead      (AccRead)
    ) u_lane (
      .clk_i      (clk_i),
      .rst_ni     (rst_ni),
      .psum_i     (col_psum[32*c +: 32]),
      .prm_we_i   (p_col_we[c]),
      .prm_i      (prm),
      .cfg_i      (cfg),
      .acc_ctl_i  (acc_ctl),
      .rd_addr_i  (rd_addr),
      .acc_valid_i(acc_valid),
      .out_data_o (o_data_o[8*c +: 8]),
      .out_acc_o  (o_acc_o[32*c +: 32])
    );
  end

  // ---- simulation checks: the host duties a port can show (ARCHITECTURE.md section 5), known outputs ----------
  `MESH_ASSERT(a_row_in_range, !w_en_i || 32'(w_row_i) < Rows,
               ("mesh_array_top: w_row_i = %0d is not a row (Rows = %0d)", w_row_i, Rows))
  `MESH_ASSERT(a_addr_in_range, !a_en_i || 32'(a_addr_i) < AccDepth,
               ("mesh_array_top: a_addr_i = %0d >= AccDepth = %0d", a_addr_i, AccDepth))
  `MESH_ASSERT(a_col_in_range, !p_en_i || 32'(p_col_i) < Cols,
               ("mesh_array_top: p_col_i = %0d is not a column (Cols = %0d)", p_col_i, Cols))
  `MESH_ASSERT(a_m0_range, !p_en_i || !p_m0_i[31], ("mesh_array_top: p_m0_i = %0d is negative", $signed(p_m0_i)))
  `MESH_ASSERT(a_shift_range, !p_en_i || ($signed(p_shift_i) >= -8'sd31 && $signed(p_shift_i) <= 8'sd30),
               ("mesh_array_top: p_shift_i = %0d is outside [-31, 30]", $signed(p_shift_i)))
  `MESH_ASSERT(a_mode_built, !c_en_i || c_round_i != 2'd3 && ((RoundingModes >> c_round_i) & 1) != 0,
               ("mesh_array_top: c_round_i = %0d selects a mode this build lacks (RoundingModes = %0d)", c_round_i, RoundingModes))
  `MESH_ASSERT_KNOWN(a_out_known, {o_valid_o, o_addr_o, o_data_o, o_acc_o})

endmodule
