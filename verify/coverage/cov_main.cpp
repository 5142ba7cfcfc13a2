// main() of the coverage testbench (cov_tb.sv): Verilator's --main loop plus the one thing it lacks, writing the
// coverage counters to the file named by +coverage=<file> after $finish.
#include <memory>
#include <string>

#include "verilated.h"
#include "verilated_cov.h"
#include "Vcov_tb.h"

int main(int argc, char** argv, char**) {
  const std::unique_ptr<VerilatedContext> contextp{new VerilatedContext};
  contextp->commandArgs(argc, argv);
  const std::unique_ptr<Vcov_tb> topp{new Vcov_tb{contextp.get()}};
  while (!contextp->gotFinish()) {
    topp->eval();
    if (!topp->eventsPending()) break;
    contextp->time(topp->nextTimeSlot());
  }
  topp->final();
  const char* arg = contextp->commandArgsPlusMatch("coverage=");
  const std::string plus = arg ? arg : "";
  const std::string file = plus.empty() ? std::string("coverage.dat") : plus.substr(plus.find('=') + 1);
  contextp->coveragep()->write(file.c_str());
  return contextp->gotFinish() ? 0 : 1;
}
