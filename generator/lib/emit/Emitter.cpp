//===- Emitter.cpp - Go, assembly and report files from a plan -------------===//
#include "gotramp/emit/Emitter.h"

#include "gotramp/BuildConfig.h"
#include "gotramp/emit/DocComment.h"
#include "gotramp/emit/Templates.h"

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <set>

namespace gotramp {

std::string goAsmSymbol(const std::string &GoName) { return "\u00b7" + GoName; }

std::string trampolineGoName(const BoundFunction &BF) {
  if (!takesCallbacks(BF.CallPath))
    return BF.Low.GoName;
  std::string Name = BF.Low.GoName;
  Name[0] = llvm::toUpper(Name[0]);
  return "gotramp" + Name;
}

std::string goFileName(const PackagePlan &Plan) { return Plan.Package + ".go"; }
std::string asmFileName(const PackagePlan &Plan, const Target &Tgt) {
  return Plan.Package + "_" + Tgt.fileSuffix() + ".s";
}
std::string sysoFileName(const PackagePlan &Plan, const Target &Tgt) {
  return Plan.Package + "_" + Tgt.fileSuffix() + ".syso";
}
std::string glueFileName(const PackagePlan &Plan, const Target &Tgt) {
  return Plan.Package + "_dynimport_" + Tgt.fileSuffix() + ".go";
}

namespace {

/// Why the glue's imports are safe to call, in the glue file.
constexpr const char *GlibcThreadsNote =
    "its threads get glibc's\n// thread-local storage from runtime/cgo or purego's fake cgo (the _libc_\n"
    "// files of this package).\n";

/// Doc text as Go comment lines. Leading blanks are dropped because gofmt
/// would turn an indented line into a code block.
/// A top-level doc comment: gofmt-canonical (DocComment.cpp).
std::string commentLines(llvm::StringRef Text) { return goDocComment(Text); }

std::string buildConstraint(const PackagePlan &Plan) {
  std::string Expr;
  for (const TargetPlan &TP : Plan.Targets) {
    std::string One = "linux && " + TP.Tgt.goArch();
    if (Plan.Targets.size() > 1)
      One = "(" + One + ")";
    Expr += (Expr.empty() ? "" : " || ") + One;
  }
  return "\n//go:build " + Expr + "\n";
}

std::string constantValue(const Constant &C) {
  return C.IsUnsigned ? std::to_string(static_cast<uint64_t>(C.Value)) : std::to_string(C.Value);
}

std::string emitConstants(const PackagePlan &Plan) {
  std::string Out;
  for (const GoConstantDecl &D : Plan.Go.Constants) {
    Out += "\n" + commentLines(D.C.Doc);
    Out += "const " + D.GoName + " = " + constantValue(D.C) + "\n";
  }
  return Out;
}

/// An enum constant as its underlying type reads it: the IR keeps the bits
/// in an int64_t, so 0xFFFFFFFFFFFFFFFF of an unsigned enum is -1 there.
std::string enumValue(const Type &Underlying, int64_t Value) {
  unsigned Bits = Underlying.Size > 0 && Underlying.Size < 8 ? Underlying.Size * 8 : 64;
  llvm::APInt V(64, static_cast<uint64_t>(Value));
  V = V.trunc(Bits);
  return Underlying.IsSigned ? std::to_string(V.getSExtValue()) : std::to_string(V.getZExtValue());
}

std::string emitEnums(const PackagePlan &Plan) {
  std::string Out;
  for (const GoEnumDecl &D : Plan.Go.Enums) {
    Out += "\n" + commentLines(D.C.Doc);
    Out += "type " + D.TypeName + " " + D.Underlying + "\n";
    // One declaration per constant: gofmt's column alignment in a block
    // depends on the comments between lines.
    for (size_t I = 0; I < D.C.Constants.size(); ++I) {
      const EnumConstant &C = D.C.Constants[I];
      Out += "\n" + commentLines(C.Doc);
      Out += "const " + D.ConstantNames[I] + " " + D.TypeName + " = " +
             enumValue(D.C.Underlying, C.Value) + "\n";
    }
  }
  return Out;
}

/// The fields of S, one per line, as gofmt lays them out: a comment line
/// ends an alignment block, and inside a block every name is padded to the
/// longest.
std::string structBody(const GoStruct &S) {
  std::string Out;
  std::vector<const GoField *> Block;
  // gofmt's tabwriter measures cells in runes, not bytes.
  auto runes = [](llvm::StringRef S) {
    return llvm::count_if(S, [](char C) { return (static_cast<unsigned char>(C) & 0xC0) != 0x80; });
  };
  auto flush = [&] {
    size_t Width = 0;
    for (const GoField *F : Block)
      Width = std::max<size_t>(Width, runes(F->Name));
    for (const GoField *F : Block)
      Out += "\t" + F->Name + std::string(Width - runes(F->Name) + 1, ' ') + F->Type + "\n";
    Block.clear();
  };
  const GoField HostLayout{"_", "structs.HostLayout", 0, 0, ""};
  Block.push_back(&HostLayout);
  for (const GoField &F : S.Fields) {
    if (!F.Comment.empty()) {
      flush();
      Out += "\t// " + F.Comment + "\n";
    }
    Block.push_back(&F);
  }
  flush();
  return Out;
}

std::string recordKind(const Record &R) { return R.IsUnion ? "union" : "struct"; }

std::string emitRecords(const PackagePlan &Plan) {
  std::string Out;
  for (const GoRecordDecl &D : Plan.Go.Records) {
    const Record &R = D.C;
    const GoStruct &S = D.Go;
    std::string Doc = llvm::StringRef(R.Doc).trim().str();
    Out += "\n";
    if (S.Opaque) {
      Out += commentLines(Doc.empty() ? S.Name + " is the C " + recordKind(R) + " " + R.Name +
                                            ", declared but not defined: only pointers to it\n"
                                            "cross the boundary."
                                      : Doc);
      Out += "type " + S.Name + " struct{ _ [0]byte }\n";
      continue;
    }
    std::string Text = Doc.empty() ? S.Name + " is the C " + recordKind(R) + " " + R.Name +
                                         ", with the C layout."
                                   : Doc;
    if (!S.Inexpressible.empty())
      Text += "\n\nIts layout cannot be reproduced in Go: it " + S.Inexpressible +
              ". It is\ndeclared as bytes for pointers, and cannot be passed by value.";
    Text += "\n\nC: " + recordKind(R) + " " + R.Name + ", " + std::to_string(R.Size) +
            " bytes, aligned to " + std::to_string(R.Align) +
            (R.Location.isValid() ? ", " + R.Location.str() : std::string());
    Out += commentLines(Text);
    Out += "type " + S.Name + " struct {\n" + structBody(S) + "}\n";
  }
  return Out;
}

/// The C declaration a binding calls: the function's prototype, or for a
/// function-pointer caller the pointer's type, "int (*cmp_fn)(...)".
std::string cSignature(const BoundFunction &BF) {
  if (!BF.ThroughPointer)
    return cPrototype(BF.Fn);
  Function Pointer = BF.Fn;
  Pointer.Name = "(*" + BF.Fn.Name + ")";
  return cPrototype(Pointer);
}

/// Base, or Base with underscores appended, whichever no parameter uses.
std::string unusedName(std::string Base, const Lowering &L) {
  while (llvm::any_of(L.GoParams, [&](const auto &P) { return P.first == Base; }))
    Base += "_";
  return Base;
}

/// A callback-path function is Go code around its trampoline: a panic
/// barrier (shim.CallbackBarrier), deferred once per native call, keeps a
/// panic in a Go callback from unwinding the native frames or being
/// recovered by the caller. The trampoline is declared after it.
std::string callbackBarrierWrapper(const BoundFunction &BF) {
  const Lowering &L = BF.Low;
  std::string Barrier = unusedName("barrier", L), Result = unusedName("r", L);
  std::vector<std::string> Args;
  for (const auto &P : L.GoParams)
    Args.push_back(P.first);
  std::string Call = trampolineGoName(BF) + "(" + llvm::join(Args, ", ") + ")";
  std::string Out = L.goSignature() + " {\n";
  Out += "\tvar " + Barrier + " shim.CallbackBarrier\n";
  Out += "\tdefer " + Barrier + ".Check() // a panic in a Go callback ends the process here\n";
  Out += "\t" + (L.GoResult ? Result + " := " + Call : Call) + "\n";
  Out += "\t" + Barrier + ".Done()\n";
  if (L.GoResult)
    Out += "\treturn " + Result + "\n";
  Out += "}\n\n";
  Lowering Inner = L;
  Inner.GoName = trampolineGoName(BF);
  Out += "// " + Inner.GoName + " is the trampoline of " + L.GoName + ".\n";
  Out += Inner.goSignature() + "\n";
  return Out;
}

std::string emitDeclaration(const BoundFunction &BF) {
  std::string Out = "\n";
  std::string Doc = llvm::StringRef(BF.Fn.Doc).trim().str();
  std::string Text;
  if (BF.ThroughPointer)
    Text = BF.Low.GoName + " calls fn, a C function pointer of type " + BF.Fn.Name +
           ",\nobtained at run time from the native code or a loader." +
           (Doc.empty() ? "" : "\n\n" + Doc);
  else
    Text = Doc.empty() ? BF.Low.GoName + " calls the C function " + BF.Fn.Name + "." : Doc;
  Out += commentLines(Text + "\n\nC: " + cSignature(BF));
  if (takesCallbacks(BF.CallPath))
    return Out + callbackBarrierWrapper(BF);
  // Pointers handed to the native side must not force heap allocation.
  if (BF.NoEscape)
    Out += "//\n//go:noescape\n";
  Out += BF.Low.goSignature() + "\n";
  return Out;
}

/// The C type of a callback constructor: "int (*cmp_fn)(const void *a, ...)",
/// an inline one as its parameter spells it, "int (*compar)(...)".
std::string callbackCType(const Function &F) {
  Function Pointer = F;
  Pointer.Name = "(*" + F.Name.substr(F.Name.rfind('.') + 1) + ")";
  return cPrototype(Pointer);
}

/// Lines of Go at the indentation Tabs.
std::string indented(const std::vector<std::string> &Lines, unsigned Tabs) {
  std::string Out;
  for (const std::string &L : Lines)
    Out += std::string(Tabs, '\t') + L + "\n";
  return Out;
}

std::string emitCallback(const PackagePlan &Plan, const CallbackConstructor &C) {
  const Function &F = C.Fn;
  std::string Where = F.InlineParameter
                          ? "for parameter " + F.Name.substr(F.Name.rfind('.') + 1) + " of " +
                                F.Name.substr(0, F.Name.find('.')) + ".\nPass its Pointer() there"
                          : "of type " + F.Name + ".\nPass its Pointer() where C takes a " +
                                F.Name;
  std::string Doc = llvm::StringRef(F.Doc).trim().str();
  std::string Text =
      C.GoName + " makes a C function pointer that calls f, " + Where +
      "; it is valid until Release.\nNative code may call it only during a call on the "
      "callback or\nblocking_callback call path (gotramp-report.json, call_path); a call on "
      "any\nother path, or a panic escaping f, ends the process." +
      (Doc.empty() ? "" : "\n\n" + Doc) + "\n\nC: " + callbackCType(F);
  std::string Out = "\n" + commentLines(Text);
  // Inlined into its caller, the constructor's closure would be compiled
  // there without inlining the CallbackFrame accessors (measured: 10
  // instructions more per callback, bench Callback/roundtrip).
  Out += "//\n//go:noinline\n";
  Out += "func " + C.GoName + "(f " + C.FuncType + ") *shim.Callback {\n";
  Out += "\treturn shim.NewCallback(\"" + F.Name + "\", func(fr *shim.CallbackFrame) {\n";
  auto call = [&](const CallbackDecoder &D, bool Assign) {
    return std::string(Assign ? "r = " : "") + "f(" + llvm::join(D.Args, ", ") + ")";
  };
  bool Same = llvm::all_of(C.Decoders, [&](const CallbackDecoder &D) {
    return D.Args == C.Decoders.front().Args;
  });
  if (Same) {
    std::string Call = call(C.Decoders.front(), false);
    Out += "\t\t" + (C.HasResult ? "r := " + Call : Call) + "\n";
  } else {
    // The argument registers differ (amd64 has 6 integer ones, arm64 8):
    // runtime.GOARCH is a constant, so only one case is compiled in.
    if (C.HasResult)
      Out += "\t\tvar r " + C.GoResult + "\n";
    Out += "\t\tswitch runtime.GOARCH {\n";
    for (size_t TI = 0; TI < C.Decoders.size(); ++TI) {
      Out += "\t\tcase \"" + Plan.Targets[TI].Tgt.goArch() + "\":\n";
      Out += "\t\t\t" + call(C.Decoders[TI], C.HasResult) + "\n";
    }
    Out += "\t\t}\n";
  }
  Out += indented(C.Decoders.front().StoreResult, 2);
  Out += "\t})\n}\n";
  return Out;
}

} // namespace

std::string emitTrampoline(const BoundFunction &BF) {
  std::string Out;
  if (!BF.Body.Prelude.empty())
    Out += "\n" + llvm::join(BF.Body.Prelude, "\n") + "\n";
  Lowering Declared = BF.Low;
  Declared.GoName = trampolineGoName(BF);
  Out += "\n// " + Declared.goSignature() + "\n";
  Out += "// C: " + cSignature(BF) + "\n";
  if (BF.CallPath == CallPathOwnStack) {
    Out += "// Call path: own stack. The native code runs on a " + std::to_string(OwnStackBytes) +
           "-byte native stack with a\n// guard region below it, from runtime-shims/go/shim, "
           "outside syscall state: the GC\n// and stop-the-world wait for it as for a direct "
           "call\n// (" + BF.Frame.Source + ").\n";
  } else if (BF.CallPath == CallPathCallback) {
    Out += "// Call path: callback. The native code runs on a " + std::to_string(OwnStackBytes) +
           "-byte callback stack from\n// runtime-shims/go/shim, outside syscall state, with the "
           "goroutine locked to its\n// thread; Go callbacks it calls run on the goroutine stack "
           "below this frame.\n// Why: " + BF.CallPathReason + ".\n";
  } else if (BF.CallPath == CallPathBlockingCallback) {
    Out += "// Call path: blocking callback. The native code runs in syscall state on a " +
           std::to_string(OwnStackBytes) +
           "-byte\n// callback stack from runtime-shims/go/shim, with the goroutine locked to "
           "its thread;\n// each Go callback leaves syscall state while it runs on the goroutine "
           "stack below\n// this frame.\n// Why: " + BF.CallPathReason + ".\n";
  } else if (BF.CallPath == CallPathBlockingOwnStack) {
    Out += "// Call path: blocking own stack. The native code runs in syscall state on a " +
           std::to_string(OwnStackBytes) +
           "-byte stack\n// with a guard page below it, from the pool of runtime-shims/go/shim\n"
           "// (" + BF.Frame.Source + ").\n";
  } else {
    if (BF.CallPath == CallPathBlocking)
      Out += "// Call path: blocking. The native call runs between runtime·entersyscall and\n"
             "// runtime·exitsyscall (through runtime-shims/go/shim): the GC and\n"
             "// stop-the-world do not wait for it.\n";
    Out += "// Frame: " + std::to_string(BF.Frame.Bytes) + " bytes for the native code (" +
           BF.Frame.Source + ").\n";
  }
  if (BF.CallPath == CallPathOwnStack)
    Out += "// NOSPLIT: no frame, and no preemption point while the native stack is held.\n";
  else if (BF.Frame.NoSplit)
    Out += "// NOSPLIT: the whole frame fits Go's nosplit budget, so no stack check is needed.\n";
  Out += "TEXT " + goAsmSymbol(trampolineGoName(BF)) + "(SB), " + (BF.Frame.NoSplit ? "NOSPLIT, " : "") +
         "$" + std::to_string(BF.Body.FrameBytes) + "-" +
         std::to_string(BF.Low.Frame.ArgsSize) + "\n";
  Out += "\tNO_LOCAL_POINTERS\n";
  for (const TrampolineInstr &I : BF.Body.Instrs) {
    Out += "\t" + I.Text;
    if (!I.Comment.empty())
      Out += "\t// " + I.Comment;
    Out += "\n";
  }
  return Out;
}

llvm::Expected<std::string> emitGoFile(const PackagePlan &Plan) {
  std::string Functions;
  if (!Plan.Targets.empty())
    for (const BoundFunction &BF : Plan.Targets.front().Functions)
      Functions += emitDeclaration(BF);
  bool UsesMath = false, UsesRuntime = false;
  for (const CallbackConstructor &C : Plan.Callbacks) {
    Functions += emitCallback(Plan, C);
    for (const CallbackDecoder &D : C.Decoders) {
      UsesMath |= D.UsesMath;
      UsesRuntime |= D.Args != C.Decoders.front().Args;
    }
  }
  std::vector<std::string> Std; // sorted, as gofmt keeps them
  if (UsesMath)
    Std.push_back("math");
  if (UsesRuntime)
    Std.push_back("runtime");
  if (Plan.Go.UsesStructs)
    Std.push_back("structs");
  if (Plan.usesUnsafe())
    Std.push_back("unsafe");
  std::string Imports;
  if (Std.size() == 1)
    Imports = "\nimport \"" + Std[0] + "\"\n";
  else if (!Std.empty()) {
    Imports = "\nimport (\n";
    for (const std::string &I : Std)
      Imports += "\t\"" + I + "\"\n";
    Imports += ")\n";
  }
  const bool TrampolinesUseShim = llvm::any_of(Plan.Targets, [](const TargetPlan &TP) {
    return llvm::any_of(TP.Functions,
                        [](const BoundFunction &BF) { return BF.CallPath != CallPathDirect; });
  });
  if (!Plan.Callbacks.empty())
    Imports += std::string("\n// The callback constructors return shim.Callback values") +
               (TrampolinesUseShim ? ", and the trampolines of\n// the other call paths call "
                                     "into the shim.\n"
                                   : ".\n") +
               "import \"" + ShimImportPath + "\"\n";
  else if (Plan.usesShim())
    Imports += "\n// The blocking and own-stack trampolines call into the shim.\n"
               "import _ \"" + std::string(ShimImportPath) + "\"\n";
  std::string Headers;
  for (const std::string &H : Plan.Headers)
    Headers += (Headers.empty() ? "" : ", ") + llvm::sys::path::filename(H).str();
  std::map<std::string, std::string> Values = {
      {"build_constraint", buildConstraint(Plan)},
      {"package_doc", "// Package " + Plan.Package + " calls the native functions " +
                          (Headers.empty() ? std::string("its objects' debug info describes")
                                           : "declared in " + Headers) +
                          " through gotramp trampolines.\n"},
      {"package", Plan.Package},
      {"imports", Imports},
      {"constants", emitConstants(Plan)},
      {"types", emitRecords(Plan) + emitEnums(Plan)},
      {"functions", Functions},
  };
  return expandTemplate("package.go.tmpl", Values);
}

llvm::Expected<std::string> emitAsmFile(const PackagePlan &Plan, const TargetPlan &TP) {
  std::string Functions;
  for (const BoundFunction &BF : TP.Functions)
    Functions += emitTrampoline(BF);
  Functions += emitNativeRootFunction(Plan, TP); // crash reports (CrashReport.cpp)
  return expandTemplate("trampolines_" + TP.Tgt.goArch() + ".s.tmpl", {{"functions", Functions}});
}

std::string emitDynamicGlueFile(const PackagePlan &Plan, const TargetPlan &TP) {
  std::string Out = "// Code generated by gotramp. DO NOT EDIT.\n\n";
  Out += "package " + Plan.Package + "\n\n";
  Out += "import _ \"unsafe\" // required by go:cgo_import_dynamic\n\n";
  Out += "// " + sysoFileName(Plan, TP.Tgt) + " keeps ELF relocations because the native code\n";
  Out += commentLines("needs " + TP.Pack.Why + ".");
  Out += "// cmd/link applies them only when the binary imports a dynamic library\n";
  Out += "// (golang/go#24321), so this makes the binary dynamically linked.\n";
  Out += "//\n//go:cgo_import_dynamic _ _ \"libc.so.6\"\n";
  if (TP.Pack.Imports.empty())
    return Out;
  // As cgo's internal linking does: one line per symbol, at the version a
  // static linker would bind; cmd/link resolves the .syso's calls and GOT
  // loads against them. Each library once more, for its DT_NEEDED entry.
  std::set<std::string> Libraries;
  for (const DynamicImport &I : TP.Pack.Imports)
    Libraries.insert(I.Library);
  const bool Shared =
      llvm::any_of(Libraries, [](const std::string &L) { return !isGlibcLibrary(L); });
  Out += Shared ? "\n// The native code calls shared libraries (shared_libraries) and, through\n"
                  "// them, glibc; " + std::string(GlibcThreadsNote)
                : "\n// The native code calls glibc (libc mode); " + std::string(GlibcThreadsNote);
  if (Shared) {
    // cgo_import_dynamic serves cmd/link's internal linking only.
    std::string Flags;
    for (const std::string &L : Libraries)
      if (!isGlibcLibrary(L))
        Flags += (Flags.empty() ? "-l:" : " -l:") + L;
    Out += "// A binary the host linker links (cgo on, -linkmode=external) needs them on\n"
           "// its command line: CGO_LDFLAGS=\"" + Flags + "\" go build.\n";
  }
  for (const std::string &L : Libraries)
    if (L != "libc.so.6")
      Out += "//go:cgo_import_dynamic _ _ \"" + L + "\"\n";
  // An unversioned library's symbols bind without a version.
  for (const DynamicImport &I : TP.Pack.Imports)
    Out += "//go:cgo_import_dynamic " + I.Symbol + " " + I.Symbol +
           (I.Version.empty() ? "" : "#" + I.Version) + " \"" + I.Library + "\"\n";
  return Out;
}

std::vector<std::string> libcThreadFileNames(const PackagePlan &Plan) {
  return {Plan.Package + "_libc_cgo.go", Plan.Package + "_libc_purego.go"};
}

std::vector<std::pair<std::string, std::string>> emitLibcThreadFiles(const PackagePlan &Plan) {
  std::string Expr;
  size_t Importing =
      llvm::count_if(Plan.Targets, [](const TargetPlan &TP) { return TP.Pack.GlibcThreads; });
  // Code built with the stack protector that calls nothing of glibc's
  // still reads its canary from glibc's thread control block.
  bool CanaryOnly = llvm::none_of(
      Plan.Targets, [](const TargetPlan &TP) { return !TP.Pack.Imports.empty(); });
  for (const TargetPlan &TP : Plan.Targets) {
    if (!TP.Pack.GlibcThreads)
      continue;
    std::string One = "linux && " + TP.Tgt.goArch();
    Expr += (Expr.empty() ? "" : " || ") + (Importing > 1 ? "(" + One + ")" : One);
  }
  if (Expr.empty())
    return {};
  if (Importing > 1)
    Expr = "(" + Expr + ")";
  auto file = [&](const std::string &Tag, const std::string &Why, const std::string &Import) {
    return "// Code generated by gotramp. DO NOT EDIT.\n\n//go:build " + Tag + " && " + Expr +
           (CanaryOnly
                ? "\n\n// The native code reads the stack protector's canary from glibc's\n"
                  "// thread control block (libc mode), which must be valid on every thread\n"
                  "// that runs it. "
                : "\n\n// The native code calls glibc (libc mode), whose thread-local storage\n"
                  "// (errno, the stack protector's canary, malloc's arenas, the locale) must\n"
                  "// be valid on every thread that runs it. ") +
           Why + "\n\npackage " + Plan.Package + "\n\nimport _ \"" + Import + "\"\n";
  };
  std::vector<std::string> Names = libcThreadFileNames(Plan);
  return {{Names[0], file("cgo",
                          "With cgo on, the runtime's own cgo support\n"
                          "// creates every thread with pthread_create and sets runtime.iscgo.",
                          "runtime/cgo")},
          {Names[1], file("!cgo",
                          "With cgo off, purego's fake cgo does what\n"
                          "// runtime/cgo does, in Go and assembly: no C toolchain is needed.",
                          "github.com/ebitengine/purego")}};
}

std::string layoutTestFileName(const PackagePlan &Plan) {
  return Plan.Package + "_layout_test.go";
}

std::string emitLayoutTest(const PackagePlan &Plan) {
  std::string Checks;
  for (const GoRecordDecl &D : Plan.Go.Records) {
    const Record &R = D.C;
    const GoStruct &S = D.Go;
    if (S.Opaque)
      continue;
    std::string Var = "v" + S.Name;
    std::string Where = recordKind(R) + " " + R.Name;
    Checks += "\n\tvar " + Var + " " + S.Name + "\n";
    Checks += "\tcheck(\"unsafe.Sizeof(" + S.Name + "{})\", unsafe.Sizeof(" + Var + "), " +
              std::to_string(R.Size) + ")\n";
    if (S.Inexpressible.empty())
      Checks += "\tcheck(\"unsafe.Alignof(" + S.Name + "{})\", unsafe.Alignof(" + Var + "), " +
                std::to_string(R.Align) + ")\n";
    for (const GoField &F : S.Fields)
      if (F.Named() && F.Name != "Raw")
        Checks += "\tcheck(\"unsafe.Offsetof(" + S.Name + "{}." + F.Name + ")\", unsafe.Offsetof(" +
                  Var + "." + F.Name + "), " + std::to_string(F.Offset) + ")\n";
  }
  if (Checks.empty())
    return "";
  std::string Compiler = Plan.Headers.empty() ? "the objects' debug info" : "clang";
  std::string Out = "// Code generated by gotramp. DO NOT EDIT.\n" + buildConstraint(Plan) + "\n";
  Out += "package " + Plan.Package + "\n\n";
  Out += "import (\n\t\"testing\"\n\t\"unsafe\"\n)\n\n";
  Out += "// TestCLayout compares the size, alignment and field offsets of every Go\n"
         "// struct with the C layout gotramp read from " + Compiler + " (the numbers below).\n";
  Out += "func TestCLayout(t *testing.T) {\n";
  Out += "\tcheck := func(what string, got, want uintptr) {\n\t\tt.Helper()\n"
         "\t\tif got != want {\n\t\t\tt.Errorf(\"%s = %d, C has %d\", what, got, want)\n\t\t}\n\t}\n";
  Out += Checks;
  Out += "}\n";
  return Out;
}

std::string emitReport(const PackagePlan &Plan) {
  using json = nlohmann::ordered_json;
  json Targets = json::object();
  for (const TargetPlan &TP : Plan.Targets) {
    json T;
    T["syso"] = sysoFileName(Plan, TP.Tgt);
    T["packing"] = TP.Pack.Strategy == PackStrategy::StaticBlob
                       ? "static blob: pre-linked, no relocations left"
                       : "relocatable with dynamic-import glue";
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue) {
      T["packing_reason"] = TP.Pack.Why;
      T["glue"] = glueFileName(Plan, TP.Tgt);
    }
    if (!TP.Pack.Imports.empty()) {
      json Imports = json::object(), Shared = json::object();
      for (const DynamicImport &I : TP.Pack.Imports)
        (isGlibcLibrary(I.Library) ? Imports : Shared)[I.Symbol] =
            I.Version.empty() ? I.Library : I.Library + " " + I.Version;
      if (!Imports.empty())
        T["libc_imports"] = Imports;
      if (!Shared.empty())
        T["shared_library_imports"] = Shared;
    }
    T["text_bytes"] = TP.Pack.TextBytes;
    T["data_bytes"] = TP.Pack.DataBytes;
    T["manifest_bytes"] = TP.Pack.ManifestBytes;
    if (const BlobRelocation &R = TP.Pack.Relocation;
        TP.Pack.Strategy == PackStrategy::StaticBlob && !R.empty()) {
      json Sections = json::object();
      for (const auto &[Name, Bytes] : R.Sections)
        Sections[Name] = Bytes;
      T["relocated_at_init"] = json{{"sections", Sections},
                                    {"address_slots", R.Slots.size()},
                                    {"zero_bytes_stored", R.ZeroBytes},
                                    {"page_align", R.PageAlign},
                                    {"file", symbolsFileName(Plan, TP.Tgt)}};
    }
    T["shims"] = TP.Pack.Shims; // freestanding mem* routines packed in
    Targets[TP.Tgt.goName()] = T;
  }
  json Functions = json::array();
  for (size_t I = 0; !Plan.Targets.empty() && I < Plan.Targets.front().Functions.size(); ++I) {
    const BoundFunction &First = Plan.Targets.front().Functions[I];
    json F;
    F["c_name"] = First.Fn.Name;
    F["c_signature"] = cSignature(First);
    F["go_signature"] = First.Low.goSignature();
    F["location"] = First.Fn.Location.str();
    json PerTarget = json::object();
    for (const TargetPlan &TP : Plan.Targets) {
      const BoundFunction &BF = TP.Functions[I];
      json T;
      if (BF.ThroughPointer) {
        T["through_pointer"] = true;
      } else {
        T["symbol"] = BF.Fn.Symbol;
        T["syso_symbol"] = BF.callSymbol();
        if (!BF.SharedLibrary.empty())
          T["library"] = BF.SharedLibrary; // called in it, not packed
      }
      T["call_path"] = BF.CallPath;
      T["call_path_reason"] = BF.CallPathReason;
      T["frame_bytes"] = BF.Frame.Bytes;
      T["frame_source"] = BF.Frame.Source;
      if (BF.Frame.AnalysedBytes)
        T["frame_below_analysed_bytes"] = BF.Frame.AnalysedBytes;
      T["stack"] = BF.Frame.Stack;
      T["nosplit"] = BF.Frame.NoSplit;
      T["abi0_args_size"] = BF.Low.Frame.ArgsSize;
      auto Class = [](const ABIClass &C) {
        json J{{"kind", C.Kind}};
        if (C.Kind == "direct")
          J["pieces"] = C.Pieces;
        return J;
      };
      json Args = json::array();
      for (const ABIClass &C : BF.Low.ArgClasses)
        Args.push_back(Class(C));
      T["abi"] = json{{"args", Args}, {"result", Class(BF.Low.ResultClass)}};
      PerTarget[TP.Tgt.goName()] = T;
    }
    F["targets"] = PerTarget;
    Functions.push_back(F);
  }
  json Skipped = json::array(), Excluded = json::array();
  for (const SkippedFunction &S : Plan.Skipped)
    (S.ByConfig ? Excluded : Skipped)
        .push_back(json{{"c_name", S.Fn.Name},
                        {"c_signature", cPrototype(S.Fn)},
                        {"location", S.Fn.Location.str()},
                        {"reason", S.Reason}});
  json Callbacks = json::array(), NoCallbacks = json::array();
  for (const CallbackConstructor &C : Plan.Callbacks)
    Callbacks.push_back(json{{"c_type", C.Fn.Name},
                             {"c_signature", callbackCType(C.Fn)},
                             {"go_constructor", "func " + C.GoName + "(f " + C.FuncType +
                                                    ") *shim.Callback"},
                             {"location", C.Fn.Location.str()}});
  for (const SkippedCallback &S : Plan.SkippedCallbacks)
    NoCallbacks.push_back(json{{"c_type", S.Fn.Name},
                               {"c_signature", callbackCType(S.Fn)},
                               {"location", S.Fn.Location.str()},
                               {"reason", S.Reason}});
  json Report;
  Report["generated"] = "Code generated by gotramp. DO NOT EDIT.";
  Report["generator"] = std::string("gotramp ") + GOTRAMP_VERSION;
  Report["package"] = Plan.Package;
  Report["headers"] = Plan.Headers;
  Report["targets"] = Targets;
  Report["functions"] = Functions;
  Report["skipped"] = Skipped;
  Report["excluded"] = Excluded;
  // Only when there are function-pointer types: other reports stay as they were.
  if (!Callbacks.empty())
    Report["callbacks"] = Callbacks;
  if (!NoCallbacks.empty())
    Report["callbacks_skipped"] = NoCallbacks;
  // Names from objects and headers need not be UTF-8: never throw on them.
  return Report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace gotramp
