//===- Diagnostics.h - file:line:col diagnostics ----------------------------===//
#pragma once

#include "gotramp/ir/IR.h"

#include "llvm/Support/raw_ostream.h"

#include <set>
#include <string>

namespace gotramp {

/// Prints "file:line:col: warning: message" once per distinct line.
class Diagnostics {
public:
  explicit Diagnostics(llvm::raw_ostream &OS) : OS(OS) {}

  void warning(const SourceLocation &Loc, const std::string &Message) {
    report(Loc, "warning", Message);
  }
  void error(const SourceLocation &Loc, const std::string &Message) {
    // Counted once, like printed: a stage that runs twice (packing again
    // after skips) reports the same error again.
    if (report(Loc, "error", Message))
      ++Errors;
  }
  void note(const std::string &Message) { OS << "gotramp: " << Message << "\n"; }
  void noteAt(const SourceLocation &Loc, const std::string &Message) {
    report(Loc, "note", Message);
  }
  unsigned errorCount() const { return Errors; }

private:
  /// False when the same line was printed before.
  bool report(const SourceLocation &Loc, const char *Severity, const std::string &Message);

  llvm::raw_ostream &OS;
  std::set<std::string> Printed;
  unsigned Errors = 0;
};

} // namespace gotramp
