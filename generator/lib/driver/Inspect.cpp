//===- Inspect.cpp - gotramp inspect: print the stack analysis -------------===//
//
// Text output (stable, one row per function, sorted by section and offset):
//
//   object: F
//   target: linux/amd64 (own frames include the 8-byte return address)
//   FUNCTION  SECTION  OFFSET  SIZE  OWN  BOUND  CALLEES
//   f         .text    0x0     42    24   56     g, h
//     deepest: f -> g
//   r         .text    0x40    30    16   -      r
//     unknown (recursion): recursion: r -> r
//
// JSON output: {"object", "target", "return_address_bytes",
// "has_stack_sizes", "mismatches": [...], "functions": [{"name", "aliases",
// "section", "offset", "size", "global", "own_frame", "compiler_stack_size"
// (or null), "callees", "calls": [{"address", "callee", "tail", "external",
// "depth"}], "jump_tables", "bound" (or null), "deepest_path", "unknown":
// null or {"kind", "reason", "function", "address", "path", "cycle"},
// "issues": [{"kind", "address", "detail"}]}]}.
//
//===----------------------------------------------------------------------===//

#include "gotramp/driver/Inspect.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace llvm;

namespace gotramp {
namespace {

std::string hexStr(uint64_t V) {
  std::string S;
  raw_string_ostream OS(S);
  OS << format_hex(V, 0);
  return S;
}

nlohmann::json toJson(const StackReport &R) {
  using nlohmann::json;
  json J;
  J["target"] = R.Tgt.goName();
  J["return_address_bytes"] = R.ReturnAddressBytes;
  J["has_stack_sizes"] = R.HasStackSizes;
  J["mismatches"] = R.Mismatches;
  json Fns = json::array();
  for (const StackFunction &F : R.Functions) {
    json O;
    O["name"] = F.Name;
    O["aliases"] = F.Aliases;
    O["section"] = F.Section;
    O["offset"] = F.Offset;
    O["size"] = F.Size;
    O["global"] = F.Global;
    O["own_frame"] = F.OwnFrame;
    O["compiler_stack_size"] =
        F.CompilerStackSize ? json(*F.CompilerStackSize) : json(nullptr);
    O["callees"] = F.Callees;
    json Calls = json::array();
    for (const StackCallSite &C : F.Calls)
      Calls.push_back({{"address", C.Address},
                       {"callee", C.Callee},
                       {"tail", C.Tail},
                       {"external", C.External},
                       {"depth", C.DepthAtSite}});
    O["calls"] = std::move(Calls);
    O["jump_tables"] = F.JumpTables;
    O["bound"] = F.Bounded ? json(F.Bound) : json(nullptr);
    O["deepest_path"] = F.DeepestPath;
    if (F.Bounded) {
      O["unknown"] = nullptr;
    } else {
      O["unknown"] = {{"kind", stackProblemName(F.Problem).str()},
                      {"reason", F.Reason},
                      {"function", F.ProblemFunction},
                      {"address", F.ProblemAddress},
                      {"path", F.ProblemPath},
                      {"cycle", F.Cycle}};
    }
    json Issues = json::array();
    for (const StackFunction::Issue &I : F.Issues)
      Issues.push_back({{"kind", stackProblemName(I.Kind).str()},
                        {"address", I.Address},
                        {"detail", I.Detail}});
    O["issues"] = std::move(Issues);
    Fns.push_back(std::move(O));
  }
  J["functions"] = std::move(Fns);
  return J;
}

} // namespace

void printStackReport(const StackReport &R, bool Json, raw_ostream &OS) {
  if (Json) {
    OS << toJson(R).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
       << "\n";
    return;
  }
  OS << "target: " << R.Tgt.goName();
  if (R.ReturnAddressBytes)
    OS << " (own frames and bounds include the " << R.ReturnAddressBytes
       << "-byte return address)";
  OS << "\n";
  OS << "stack bytes; BOUND is the whole call graph, '-' when unknown\n";

  struct Row {
    std::string Cells[7];
    std::vector<std::string> Notes;
  };
  std::vector<Row> Rows;
  Rows.push_back({{"FUNCTION", "SECTION", "OFFSET", "SIZE", "OWN", "BOUND",
                   "CALLEES"},
                  {}});
  for (const StackFunction &F : R.Functions) {
    Row Rw;
    Rw.Cells[0] = F.Name + (F.Global ? "" : " (local)");
    Rw.Cells[1] = F.Section;
    Rw.Cells[2] = hexStr(F.Offset);
    Rw.Cells[3] = std::to_string(F.Size);
    Rw.Cells[4] = std::to_string(F.OwnFrame);
    Rw.Cells[5] = F.Bounded ? std::to_string(F.Bound) : "-";
    std::vector<std::string> Callees;
    for (const StackCallSite &C : F.Calls) {
      std::string N = C.Callee.empty() ? "?" : C.Callee;
      if (C.External)
        N += " (external)";
      if (!is_contained(Callees, N))
        Callees.push_back(N);
    }
    Rw.Cells[6] = Callees.empty() ? "-" : join(Callees, ", ");
    if (!F.Aliases.empty())
      Rw.Notes.push_back("aliases: " + join(F.Aliases, ", "));
    if (F.Bounded) {
      if (F.DeepestPath.size() > 1)
        Rw.Notes.push_back("deepest: " + join(F.DeepestPath, " -> "));
    } else {
      Rw.Notes.push_back("unknown (" + stackProblemName(F.Problem).str() +
                         "): " + F.Reason);
    }
    if (F.CompilerStackSize)
      Rw.Notes.push_back(".stack_sizes: " +
                         std::to_string(*F.CompilerStackSize) +
                         (F.CompilerMismatch ? "  MISMATCH" : ""));
    if (F.JumpTables)
      Rw.Notes.push_back("jump tables: " + std::to_string(F.JumpTables));
    Rows.push_back(std::move(Rw));
  }
  size_t Width[6] = {0, 0, 0, 0, 0, 0};
  for (const Row &Rw : Rows)
    for (int C = 0; C < 6; ++C)
      Width[C] = std::max(Width[C], Rw.Cells[C].size());
  for (const Row &Rw : Rows) {
    for (int C = 0; C < 6; ++C) {
      bool Right = C >= 3;
      size_t Pad = Width[C] - Rw.Cells[C].size();
      if (Right)
        OS.indent(Pad);
      OS << Rw.Cells[C];
      if (!Right)
        OS.indent(Pad);
      OS << "  ";
    }
    OS << Rw.Cells[6] << "\n";
    for (const std::string &N : Rw.Notes)
      OS << "    " << N << "\n";
  }
  if (!R.Mismatches.empty()) {
    OS << ".stack_sizes mismatches:\n";
    for (const std::string &M : R.Mismatches)
      OS << "  " << M << "\n";
  }
}

Error runInspect(const std::string &ObjectPath, const Target &T, bool Json,
                 raw_ostream &OS) {
  auto Buf = MemoryBuffer::getFile(ObjectPath, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!Buf)
    return createFileError(ObjectPath, Buf.getError());
  ArrayRef<uint8_t> Bytes(
      reinterpret_cast<const uint8_t *>((*Buf)->getBufferStart()),
      (*Buf)->getBufferSize());
  Expected<StackReport> R = analyzeStack(Bytes, T);
  if (!R)
    return createFileError(ObjectPath, R.takeError());
  if (Json) {
    nlohmann::json J = toJson(*R);
    J["object"] = ObjectPath;
    // Symbol and section names may be any bytes: invalid UTF-8 becomes U+FFFD.
    OS << J.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return Error::success();
  }
  OS << "object: " << ObjectPath << "\n";
  printStackReport(*R, false, OS);
  return Error::success();
}

} // namespace gotramp
