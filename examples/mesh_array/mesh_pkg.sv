// The bundles that travel together through the mesh_array example, one packed type each.
//   beat_t     what moves right through the mesh, one row's activation byte with its valid and bank bits
//   out_cfg_t  the per-tensor output configuration (c_zp_i, c_min_i, c_max_i, c_round_i), one register for all lanes
//   col_prm_t  one column's requantization parameters (p_bias_i, p_m0_i, p_shift_i), a register per lane
package mesh_pkg;

  typedef struct packed {
    logic              sel;  // weight bank (a_bank_i)
    logic              vld;  // a beat (a_en_i)
    logic signed [7:0] act;  // the row's activation byte
  } beat_t;

  typedef struct packed {
    logic        [1:0] mode;  // rounding mode: 0 single, 1 double, 2 ruy
    logic signed [7:0] hi;
    logic signed [7:0] lo;
    logic signed [7:0] zp;
  } out_cfg_t;

  typedef struct packed {
    logic signed [31:0] bias;
    logic signed [31:0] m0;
    logic signed [7:0]  shift;
  } col_prm_t;

endpackage
