//===- Diagnostics.cpp - file:line:col diagnostics, each printed once ------===//
#include "gotramp/support/Diagnostics.h"

namespace gotramp {

bool Diagnostics::report(const SourceLocation &Loc, const char *Severity,
                         const std::string &Message) {
  std::string Line = (Loc.isValid() ? Loc.str() : std::string("gotramp")) + ": " + Severity +
                     ": " + Message;
  if (!Printed.insert(Line).second)
    return false;
  OS << Line << "\n";
  return true;
}

} // namespace gotramp
