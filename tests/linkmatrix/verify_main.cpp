//===- verify_main.cpp - `gotramp verify` for the link matrix ---------------===//
//
// The same command as `gotramp verify`, as a stand-alone executable, so the
// link matrix can run while the subcommand is not wired into the gotramp
// executable; the matrix prefers `gotramp verify` when it exists.
//
//===----------------------------------------------------------------------===//
#include "gotramp/pack/Verify.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

int main(int Argc, char **Argv) {
  std::vector<std::string> Args(Argv + 1, Argv + Argc);
  return gotramp::runVerifyCommand(Args, llvm::outs(), llvm::errs());
}
