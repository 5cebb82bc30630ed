//===- IRJson.h - Module <-> JSON -----------------------------------------===//
//
// The IR round-trips through JSON so frontends and tests can exchange it and
// `--dump-ir` output can be read back. Reading is strict: an unknown key, a
// missing required key or a value of the wrong kind is an error naming the
// JSON path (for example "functions[2].params[0].type.kind").
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/ir/IR.h"

#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

namespace gotramp {

nlohmann::ordered_json moduleToJSON(const Module &M);
llvm::Expected<Module> moduleFromJSON(const nlohmann::ordered_json &J);

/// Pretty-printed, stable text ("--dump-ir").
std::string moduleToJSONText(const Module &M);
llvm::Expected<Module> moduleFromJSONText(llvm::StringRef Text);

} // namespace gotramp
