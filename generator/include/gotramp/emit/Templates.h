//===- Templates.h - file skeletons from templates/ ------------------------===//
//
// Templates only arrange files: `{{name}}` placeholders are filled with text
// the emitters computed. The templates are compiled into the binary.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <map>
#include <string>

namespace gotramp {

/// Expands template Name with Values. A placeholder without a value, or a
/// value without a placeholder, is an error: both are bugs in the emitter.
llvm::Expected<std::string> expandTemplate(llvm::StringRef Name,
                                           const std::map<std::string, std::string> &Values);

} // namespace gotramp
