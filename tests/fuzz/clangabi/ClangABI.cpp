//===- ClangABI.cpp - Clang's own argument/result arrangement, as JSON ----===//
//
// gotramp-clangabi --target linux/amd64|linux/arm64 HEADER.h [-- clang args]
//
// Parses HEADER.h as C for the target and asks Clang's code generator how it
// would pass the arguments and the result of every non-variadic prototyped
// function declared in that file (clang::CodeGen::arrangeFreeFunctionType,
// the same CGFunctionInfo Clang lowers calls with). The differential ABI
// fuzzer compares this with gotramp's own lowering (tests/fuzz/abicompare.py).
//
// Output (stdout), functions sorted by name:
//
//   {"target": "linux/amd64", "functions": {"NAME": {"args": [ARG...], "result": ARG}}}
//
// ARG is {"kind": "void" | "ignore" | "memory" | "indirect" | "other:<kind>"}
// or {"kind": "direct", "pieces": [...]}; see README.md next to this file.
//
//===----------------------------------------------------------------------===//

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/CanonicalType.h"
#include "clang/AST/Decl.h"
#include "clang/AST/RecordLayout.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/CodeGen/CGFunctionInfo.h"
#include "clang/CodeGen/CodeGenABITypes.h"
#include "clang/CodeGen/ModuleBuilder.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/Utils.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Type.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#ifndef GOTRAMP_CLANGABI_RESOURCE_DIR
#define GOTRAMP_CLANGABI_RESOURCE_DIR ""
#endif

namespace {

using json = nlohmann::ordered_json;
using namespace clang;

constexpr llvm::StringLiteral ToolName = "gotramp-clangabi";

llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

struct Options {
  std::string Target; // Go spelling: linux/amd64, linux/arm64
  std::string Triple;
  std::string Header;
  std::string ResourceDir;
  std::vector<std::string> ClangArgs;
};

std::optional<llvm::StringRef> tripleFor(llvm::StringRef Target) {
  if (Target == "linux/amd64")
    return llvm::StringRef("x86_64-linux-gnu");
  if (Target == "linux/arm64")
    return llvm::StringRef("aarch64-linux-gnu");
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Resource dir: stdint.h, stddef.h, stdbool.h come from Clang's own headers.
//===----------------------------------------------------------------------===//

bool isResourceDir(llvm::StringRef Dir) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, "include", "stddef.h");
  return !Dir.empty() && llvm::sys::fs::exists(P);
}

/// The configured dir (CMake's GOTRAMP_CLANG_RESOURCE_DIR), else the one of
/// the clang-19 on PATH (<prefix>/lib/clang/19 next to its real path), else
/// Debian's fixed location.
llvm::Expected<std::string> findResourceDir() {
  if (isResourceDir(GOTRAMP_CLANGABI_RESOURCE_DIR))
    return std::string(GOTRAMP_CLANGABI_RESOURCE_DIR);
  for (llvm::StringRef Name : {"clang-19", "clang"}) {
    llvm::ErrorOr<std::string> Exe = llvm::sys::findProgramByName(Name);
    if (!Exe)
      continue;
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(*Exe, Real))
      continue;
    llvm::SmallString<256> Dir(llvm::sys::path::parent_path(llvm::sys::path::parent_path(Real)));
    llvm::sys::path::append(Dir, "lib", "clang", "19");
    if (isResourceDir(Dir))
      return std::string(Dir);
  }
  if (isResourceDir("/usr/lib/llvm-19/lib/clang/19"))
    return std::string("/usr/lib/llvm-19/lib/clang/19");
  return makeError("cannot find clang 19's resource dir (with include/stddef.h); pass "
                   "--resource-dir DIR");
}

//===----------------------------------------------------------------------===//
// CGFunctionInfo -> JSON
//===----------------------------------------------------------------------===//

std::string llvmTypeName(llvm::Type *T) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  T->print(OS);
  return S;
}

/// Flattens an LLVM type into register-sized pieces, in order: structs and
/// arrays into their elements, recursively.
void flattenPieces(llvm::Type *T, json &Pieces) {
  if (auto *ST = llvm::dyn_cast<llvm::StructType>(T)) {
    for (llvm::Type *E : ST->elements())
      flattenPieces(E, Pieces);
    return;
  }
  if (auto *AT = llvm::dyn_cast<llvm::ArrayType>(T)) {
    for (uint64_t I = 0, N = AT->getNumElements(); I != N; ++I)
      flattenPieces(AT->getElementType(), Pieces);
    return;
  }
  if (T->isPointerTy()) {
    Pieces.push_back("int");
    return;
  }
  // Integers up to 64 bits take one general register (or stack slot); wider
  // ones (i128: __int128, 16-byte aligned composites) take an aligned pair,
  // which "int" would hide.
  if (auto *IT = llvm::dyn_cast<llvm::IntegerType>(T); IT && IT->getBitWidth() <= 64) {
    Pieces.push_back("int");
    return;
  }
  if (T->isFloatTy()) {
    Pieces.push_back("f4");
    return;
  }
  if (T->isDoubleTy()) {
    Pieces.push_back("f8");
    return;
  }
  // <2 x float>: two floats packed in one SSE/SIMD register.
  if (auto *VT = llvm::dyn_cast<llvm::FixedVectorType>(T)) {
    llvm::Type *E = VT->getElementType();
    if (E->isFloatTy() || E->isDoubleTy()) {
      uint64_t Bytes = VT->getNumElements() * E->getPrimitiveSizeInBits().getFixedValue() / 8;
      Pieces.push_back("f" + std::to_string(Bytes));
      return;
    }
  }
  Pieces.push_back("other:" + llvmTypeName(T));
}

/// Leaves of a Clang type the way ABIArgInfo::Expand passes them: fields of
/// structs (the largest member of a union), elements of arrays, the two
/// halves of a _Complex, each leaf by its in-memory LLVM type.
void expandPieces(CodeGen::CodeGenModule &CGM, ASTContext &Ctx, QualType T, json &Pieces) {
  T = T.getCanonicalType();
  if (const auto *AT = Ctx.getAsConstantArrayType(T)) {
    for (uint64_t I = 0, N = AT->getZExtSize(); I != N; ++I)
      expandPieces(CGM, Ctx, AT->getElementType(), Pieces);
    return;
  }
  if (const auto *CT = T->getAs<ComplexType>()) {
    expandPieces(CGM, Ctx, CT->getElementType(), Pieces);
    expandPieces(CGM, Ctx, CT->getElementType(), Pieces);
    return;
  }
  if (const auto *RT = T->getAs<RecordType>()) {
    const RecordDecl *RD = RT->getDecl();
    if (RD->isUnion()) {
      const FieldDecl *Largest = nullptr;
      uint64_t LargestSize = 0;
      for (const FieldDecl *FD : RD->fields()) {
        uint64_t Size = Ctx.getTypeSize(FD->getType());
        if (!Largest || Size > LargestSize) {
          Largest = FD;
          LargestSize = Size;
        }
      }
      if (Largest)
        expandPieces(CGM, Ctx, Largest->getType(), Pieces);
      return;
    }
    for (const FieldDecl *FD : RD->fields()) {
      if (FD->isZeroLengthBitField(Ctx))
        continue;
      expandPieces(CGM, Ctx, FD->getType(), Pieces);
    }
    return;
  }
  flattenPieces(CodeGen::convertTypeForMemory(CGM, T), Pieces);
}

const char *kindName(CodeGen::ABIArgInfo::Kind K) {
  using AI = CodeGen::ABIArgInfo;
  switch (K) {
  case AI::Direct:
    return "Direct";
  case AI::Extend:
    return "Extend";
  case AI::Indirect:
    return "Indirect";
  case AI::IndirectAliased:
    return "IndirectAliased";
  case AI::Ignore:
    return "Ignore";
  case AI::Expand:
    return "Expand";
  case AI::CoerceAndExpand:
    return "CoerceAndExpand";
  case AI::InAlloca:
    return "InAlloca";
  }
  return "Unknown";
}

json describeArg(CodeGen::CodeGenModule &CGM, ASTContext &Ctx, const CodeGen::ABIArgInfo &AI,
                 QualType T, bool IsResult) {
  using Info = CodeGen::ABIArgInfo;
  json J = json::object();
  if (IsResult && T->isVoidType()) {
    J["kind"] = "void";
    return J;
  }
  switch (AI.getKind()) {
  case Info::Ignore:
    J["kind"] = "ignore";
    return J;
  case Info::Direct:
  case Info::Extend: {
    json Pieces = json::array();
    llvm::Type *Coerce = AI.getCoerceToType();
    flattenPieces(Coerce ? Coerce : CodeGen::convertTypeForMemory(CGM, T), Pieces);
    J["kind"] = "direct";
    J["pieces"] = std::move(Pieces);
    return J;
  }
  case Info::Expand: {
    json Pieces = json::array();
    expandPieces(CGM, Ctx, T, Pieces);
    J["kind"] = "direct";
    J["pieces"] = std::move(Pieces);
    return J;
  }
  case Info::Indirect:
    // A result is always through the hidden sret pointer, whatever its
    // byval flag says (x86-64 sets it on returns too).
    J["kind"] = !IsResult && AI.getIndirectByVal() ? "memory" : "indirect";
    return J;
  case Info::IndirectAliased:
    J["kind"] = "indirect";
    return J;
  default:
    J["kind"] = std::string("other:") + kindName(AI.getKind());
    return J;
  }
}

/// Why Clang cannot arrange FD (a parameter or result of incomplete type),
/// or nothing.
std::optional<std::string> unarrangeable(const FunctionDecl *FD) {
  QualType R = FD->getReturnType();
  if (!R->isVoidType() && R->isIncompleteType())
    return "result type '" + R.getAsString() + "' is incomplete";
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getType()->isIncompleteType())
      return "parameter '" + P->getNameAsString() + "' has incomplete type '" +
             P->getType().getAsString() + "'";
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Frontend: a CodeGenerator consumer, asked for arrangements at the end.
//===----------------------------------------------------------------------===//

class ArrangementConsumer : public ASTConsumer {
public:
  ArrangementConsumer(std::unique_ptr<CodeGenerator> Gen, std::map<std::string, json> &Out)
      : Gen(std::move(Gen)), Out(Out) {}

  void Initialize(ASTContext &Ctx) override { Gen->Initialize(Ctx); }

  // Forward tag definitions so CodeGenTypes sees records completed after a
  // forward declaration, as in a real compile. Nothing is emitted: the
  // generator never sees top-level declarations or the end of the TU.
  void HandleTagDeclDefinition(TagDecl *D) override { Gen->HandleTagDeclDefinition(D); }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    const SourceManager &SM = Ctx.getSourceManager();
    CodeGen::CodeGenModule &CGM = Gen->CGM();
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      auto *FD = dyn_cast<FunctionDecl>(D);
      if (!FD || !SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
        continue;
      CanQualType Canon = Ctx.getCanonicalType(FD->getType());
      CanQual<FunctionProtoType> Proto = Canon.getAs<FunctionProtoType>();
      if (!Proto || Proto->isVariadic())
        continue;
      std::string Name = FD->getNameAsString();
      if (Out.count(Name))
        continue; // a redeclaration: same type
      if (std::optional<std::string> Why = unarrangeable(FD)) {
        llvm::WithColor::warning(llvm::errs(), ToolName)
            << Name << " skipped: " << *Why << "\n";
        continue;
      }
      const CodeGen::CGFunctionInfo &FI = CodeGen::arrangeFreeFunctionType(CGM, Proto);
      json Args = json::array();
      for (const CodeGen::CGFunctionInfoArgInfo &A : FI.arguments())
        Args.push_back(describeArg(CGM, Ctx, A.info, A.type, false));
      json F = json::object();
      F["args"] = std::move(Args);
      F["result"] = describeArg(CGM, Ctx, FI.getReturnInfo(), FI.getReturnType(), true);
      Out[Name] = std::move(F);
    }
  }

private:
  std::unique_ptr<CodeGenerator> Gen;
  std::map<std::string, json> &Out;
};

class ArrangementAction : public ASTFrontendAction {
public:
  explicit ArrangementAction(std::map<std::string, json> &Out) : Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    std::unique_ptr<CodeGenerator> Gen(CreateLLVMCodeGen(
        CI.getDiagnostics(), "gotramp-clangabi", CI.getFileManager().getVirtualFileSystemPtr(),
        CI.getHeaderSearchOpts(), CI.getPreprocessorOpts(), CI.getCodeGenOpts(), LLVMCtx));
    return std::make_unique<ArrangementConsumer>(std::move(Gen), Out);
  }

private:
  llvm::LLVMContext LLVMCtx;
  std::map<std::string, json> &Out;
};

llvm::Expected<std::map<std::string, json>> arrangeHeader(const Options &Opts) {
  if (!llvm::sys::fs::exists(Opts.Header))
    return llvm::createFileError(Opts.Header,
                                 std::make_error_code(std::errc::no_such_file_or_directory));
  std::string ResourceDir = Opts.ResourceDir;
  if (ResourceDir.empty()) {
    llvm::Expected<std::string> Found = findResourceDir();
    if (!Found)
      return Found.takeError();
    ResourceDir = *Found;
  }
  // As gotramp's HeaderFrontend: C (gnu11), freestanding so that Clang's
  // builtin stdint.h/stddef.h/stdbool.h serve both targets without a libc.
  std::vector<std::string> Args = {"clang",
                                   "-xc",
                                   "-std=gnu11",
                                   "--target=" + Opts.Triple,
                                   "-resource-dir=" + ResourceDir,
                                   "-ffreestanding",
                                   "-fsyntax-only",
                                   "-fno-color-diagnostics"};
  Args.insert(Args.end(), Opts.ClangArgs.begin(), Opts.ClangArgs.end());
  Args.push_back(Opts.Header);
  std::vector<const char *> Argv;
  for (const std::string &A : Args)
    Argv.push_back(A.c_str());

  auto DiagOpts = llvm::makeIntrusiveRefCnt<DiagnosticOptions>();
  IntrusiveRefCntPtr<DiagnosticsEngine> Diags =
      CompilerInstance::createDiagnostics(DiagOpts.get());
  CreateInvocationOptions CIOpts;
  CIOpts.Diags = Diags;
  std::shared_ptr<CompilerInvocation> Invocation = createInvocation(Argv, CIOpts);
  if (!Invocation || Diags->hasErrorOccurred())
    return makeError("clang rejected the command line (its errors are above)");

  CompilerInstance CI;
  CI.setInvocation(std::move(Invocation));
  CI.createDiagnostics();
  if (!CI.hasDiagnostics())
    return makeError("cannot create clang diagnostics");

  std::map<std::string, json> Out;
  ArrangementAction Action(Out);
  if (!CI.ExecuteAction(Action) || CI.getDiagnostics().hasErrorOccurred())
    return makeError("clang could not parse " + Opts.Header + " for " + Opts.Target +
                     " (its errors are above)");
  return Out;
}

//===----------------------------------------------------------------------===//
// Command line and output
//===----------------------------------------------------------------------===//

constexpr llvm::StringLiteral Usage =
    "usage: gotramp-clangabi --target linux/amd64|linux/arm64 [--resource-dir DIR] HEADER.h "
    "[-- CLANG_ARGS...]\n";

llvm::Expected<Options> parseCommandLine(int Argc, char **Argv) {
  Options Opts;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef A = Argv[I];
    if (A == "--") {
      Opts.ClangArgs.assign(Argv + I + 1, Argv + Argc);
      break;
    }
    if (A == "--target" || A == "--resource-dir") {
      if (I + 1 == Argc)
        return makeError(A + " needs a value");
      (A == "--target" ? Opts.Target : Opts.ResourceDir) = Argv[++I];
    } else if (A.consume_front("--target=")) {
      Opts.Target = A.str();
    } else if (A.consume_front("--resource-dir=")) {
      Opts.ResourceDir = A.str();
    } else if (A == "-h" || A == "--help") {
      llvm::outs() << Usage;
      std::exit(0);
    } else if (A.starts_with("-") && A != "-") {
      return makeError("unknown option '" + A + "'");
    } else if (Opts.Header.empty()) {
      Opts.Header = A.str();
    } else {
      return makeError("more than one header ('" + Opts.Header + "', '" + A + "')");
    }
  }
  if (Opts.Target.empty())
    return makeError("--target is required (linux/amd64 or linux/arm64)");
  std::optional<llvm::StringRef> Triple = tripleFor(Opts.Target);
  if (!Triple)
    return makeError("unknown target '" + Opts.Target + "' (linux/amd64 or linux/arm64)");
  Opts.Triple = Triple->str();
  if (Opts.Header.empty())
    return makeError("no header given");
  return Opts;
}

/// One function per line, so expectations diff well.
void printJSON(llvm::raw_ostream &OS, const std::string &Target,
               const std::map<std::string, json> &Functions) {
  OS << "{\"target\": " << json(Target).dump() << ", \"functions\": {";
  bool First = true;
  for (const auto &[Name, F] : Functions) {
    OS << (First ? "\n  " : ",\n  ") << json(Name).dump() << ": " << F.dump();
    First = false;
  }
  OS << (First ? "}}\n" : "\n}}\n");
}

} // namespace

int main(int Argc, char **Argv) {
  llvm::InitLLVM X(Argc, Argv);
  llvm::Expected<Options> Opts = parseCommandLine(Argc, Argv);
  if (!Opts) {
    llvm::WithColor::error(llvm::errs(), ToolName) << llvm::toString(Opts.takeError()) << "\n"
                                                   << Usage;
    return 2;
  }
  llvm::Expected<std::map<std::string, json>> Functions = arrangeHeader(*Opts);
  if (!Functions) {
    llvm::WithColor::error(llvm::errs(), ToolName) << llvm::toString(Functions.takeError())
                                                   << "\n";
    return 1;
  }
  printJSON(llvm::outs(), Opts->Target, *Functions);
  return 0;
}
