systolic_delay.sv
systolic_skew.sv
systolic_pe.sv
systolic_array.sv
systolic_ctrl.sv
systolic_acc.sv
systolic_requant.sv
systolic_top.sv
