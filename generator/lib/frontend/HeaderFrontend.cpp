//===- HeaderFrontend.cpp - C headers -> Module (Clang libTooling) ---------===//
//
// The only file that includes the Clang AST API.
//
//===----------------------------------------------------------------------===//
#include "gotramp/frontend/HeaderFrontend.h"

#include "gotramp/BuildConfig.h"
#include "gotramp/support/InputFile.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/RecordLayout.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/LiteralSupport.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

namespace gotramp {
namespace {

using namespace clang;

/// Real paths of the headers the user named: only their declarations are bound.
using HeaderSet = std::set<std::string>;

std::string realPathOf(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return Path.str();
  return std::string(Real);
}

bool isInNamedHeader(const SourceManager &SM, clang::SourceLocation Loc,
                     const HeaderSet &Headers) {
  if (Loc.isInvalid())
    return false;
  FileID FID = SM.getFileID(SM.getExpansionLoc(Loc));
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return false;
  llvm::StringRef Real = FE->getFileEntry().tryGetRealPathName();
  return Headers.count(Real.empty() ? realPathOf(FE->getName()) : Real.str()) != 0;
}

gotramp::SourceLocation locationOf(const SourceManager &SM, clang::SourceLocation Loc) {
  gotramp::SourceLocation L;
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
  if (P.isInvalid())
    return L;
  // Headers are included from a buffer in the working directory; drop the
  // "./" that adds so locations read as the user named the file.
  llvm::StringRef File = P.getFilename();
  File.consume_front("./");
  L.File = File.str();
  L.Line = P.getLine();
  L.Column = P.getColumn();
  return L;
}

/// Doc comment attached to D, without comment markers, trimmed.
std::string docOf(const ASTContext &Ctx, const Decl *D) {
  const RawComment *RC = Ctx.getRawCommentForDeclNoCache(D);
  if (!RC)
    return "";
  std::string Text = RC->getFormattedText(Ctx.getSourceManager(), Ctx.getDiagnostics());
  return llvm::StringRef(Text).trim().str();
}

class ModuleBuilder {
public:
  ModuleBuilder(ASTContext &Ctx, const HeaderSet &Headers, Module &M)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Headers(Headers), M(M),
        Policy(Ctx.getPrintingPolicy()) {
    Policy.Bool = true; // print `bool`, not `_Bool`
  }

  void run() {
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
      if (!isInNamedHeader(SM, D->getLocation(), Headers))
        continue;
      if (auto *FD = dyn_cast<FunctionDecl>(D))
        addFunction(FD);
      else if (auto *ED = dyn_cast<EnumDecl>(D))
        addEnum(ED);
      else if (auto *TD = dyn_cast<TypedefNameDecl>(D)) {
        // `typedef enum {...} color_t;` names the enum through the typedef.
        if (auto *ED = TD->getUnderlyingType()->getAsTagDecl())
          if (auto *E = dyn_cast<EnumDecl>(ED))
            addEnum(E);
        addFunctionType(TD);
      }
    }
  }

  Type convert(QualType QT) {
    Type T;
    T.Spelling = QT.getAsString(Policy);
    QualType Canon = QT.getCanonicalType();
    if (!Canon->isIncompleteType() && !Canon->isFunctionType()) {
      T.Size = Ctx.getTypeSizeInChars(Canon).getQuantity();
      T.Align = Ctx.getTypeAlignInChars(Canon).getQuantity();
    }
    const clang::Type *CT = Canon.getTypePtr();
    if (CT->isVoidType()) {
      T.Kind = TypeKind::Void;
    } else if (const auto *BT = dyn_cast<BuiltinType>(CT)) {
      convertBuiltin(BT, QT, T);
    } else if (const auto *ET = dyn_cast<EnumType>(CT)) {
      EnumDecl *ED = ET->getDecl();
      if (!ED->isComplete()) {
        return unsupported(T, "enum '" + T.Spelling + "' is declared but never defined");
      }
      T.Kind = TypeKind::Enum;
      T.Name = addEnum(ED);
      T.IsSigned = ED->getIntegerType()->isSignedIntegerType();
    } else if (const auto *PT = dyn_cast<PointerType>(CT)) {
      QualType Pointee = PT->getPointeeType();
      if (Pointee->isFunctionType()) {
        T.Kind = TypeKind::FunctionPointer;
      } else {
        T.Kind = TypeKind::Pointer;
        T.PointeeConst = Pointee.isConstQualified();
        // Keep the pointee's sugar so `size_t *` stays a size_t pointer.
        QualType SugaredPointee = QT->getPointeeType();
        T.Element.push_back(convert(SugaredPointee.isNull() ? Pointee : SugaredPointee));
      }
    } else if (const auto *RT = dyn_cast<RecordType>(CT)) {
      T.Kind = TypeKind::Record;
      T.Name = addRecord(RT->getDecl());
    } else if (const auto *AT = dyn_cast<ConstantArrayType>(CT)) {
      T.Kind = TypeKind::Array;
      T.Count = AT->getSize().getZExtValue();
      // The sugared array keeps the element's typedef: `size_t v[2]` is
      // an array of size_t (uintptr), not of unsigned long.
      const ConstantArrayType *Sugared = Ctx.getAsConstantArrayType(QT);
      T.Element.push_back(convert(Sugared ? Sugared->getElementType() : AT->getElementType()));
    } else if (isa<ComplexType>(CT)) {
      return unsupported(T, "_Complex type '" + T.Spelling + "' is not supported");
    } else if (isa<VectorType>(CT)) {
      return unsupported(T, "vector type '" + T.Spelling + "' is not supported");
    } else {
      return unsupported(T, "type '" + T.Spelling + "' is not supported");
    }
    return T;
  }

private:
  static Type unsupported(Type T, const std::string &Why) {
    T.Kind = TypeKind::Unsupported;
    T.UnsupportedReason = Why;
    return T;
  }

  static IntegerFlavor flavorOf(QualType QT) {
    // Walk the typedef chain: `typedef size_t my_len;` is still a size_t.
    while (const auto *TT = QT->getAs<TypedefType>()) {
      llvm::StringRef Name = TT->getDecl()->getName();
      if (Name == "size_t" || Name == "uintptr_t")
        return IntegerFlavor::Size;
      if (Name == "ptrdiff_t" || Name == "intptr_t" || Name == "ssize_t")
        return IntegerFlavor::PtrDiff;
      QT = TT->desugar();
    }
    return IntegerFlavor::Plain;
  }

  void convertBuiltin(const BuiltinType *BT, QualType Sugared, Type &T) {
    switch (BT->getKind()) {
    case BuiltinType::Bool:
      T.Kind = TypeKind::Bool;
      return;
    case BuiltinType::Char_S:
    case BuiltinType::Char_U:
      T.Kind = TypeKind::Integer;
      T.Flavor = IntegerFlavor::Char;
      T.IsSigned = BT->getKind() == BuiltinType::Char_S; // follows the target
      return;
    case BuiltinType::Int128:
    case BuiltinType::UInt128:
      T = unsupported(T, "128-bit integer '" + T.Spelling + "' has no Go equivalent");
      return;
    case BuiltinType::Float:
    case BuiltinType::Double:
      T.Kind = TypeKind::Float;
      return;
    case BuiltinType::LongDouble:
      T = unsupported(T, "'long double' has no Go equivalent");
      return;
    default:
      break;
    }
    if (BT->isInteger()) {
      T.Kind = TypeKind::Integer;
      T.IsSigned = BT->isSignedInteger();
      T.Flavor = flavorOf(Sugared);
      return;
    }
    T = unsupported(T, "type '" + T.Spelling + "' is not supported");
  }

  std::string tagName(const TagDecl *TD) {
    if (!TD->getName().empty())
      return TD->getName().str();
    if (const TypedefNameDecl *TN = TD->getTypedefNameForAnonDecl())
      return TN->getName().str();
    gotramp::SourceLocation L = locationOf(SM, TD->getLocation());
    return "anon_" + llvm::sys::path::stem(L.File).str() + "_" + std::to_string(L.Line);
  }

  std::string addRecord(const RecordDecl *RD) {
    std::string Name = tagName(RD);
    if (!SeenRecords.insert(Name).second)
      return Name;
    Record R;
    R.Name = Name;
    R.IsUnion = RD->isUnion();
    R.Location = locationOf(SM, RD->getLocation());
    const RecordDecl *Def = RD->getDefinition();
    R.IsComplete = Def != nullptr;
    size_t Index = M.Records.size();
    M.Records.push_back(R);
    if (!Def)
      return Name;
    const ASTRecordLayout &Layout = Ctx.getASTRecordLayout(Def);
    Record Filled = R;
    Filled.Size = Layout.getSize().getQuantity();
    Filled.Align = Layout.getAlignment().getQuantity();
    Filled.Doc = docOf(Ctx, Def);
    for (const FieldDecl *FD : Def->fields()) {
      Field F;
      F.Name = FD->getName().str();
      F.Ty = convert(FD->getType());
      F.Offset = Layout.getFieldOffset(FD->getFieldIndex()) / 8;
      if (FD->isBitField())
        F.BitWidth = FD->getBitWidthValue(Ctx);
      Filled.Fields.push_back(std::move(F));
    }
    // convert() may have appended records: index, do not hold a reference.
    M.Records[Index] = std::move(Filled);
    return Name;
  }

  /// `typedef R (*name)(params);`: a function-pointer type Go can call.
  void addFunctionType(const TypedefNameDecl *TD) {
    const auto *PT = TD->getUnderlyingType()->getAs<PointerType>();
    const auto *FPT = PT ? PT->getPointeeType()->getAs<FunctionProtoType>() : nullptr;
    if (!FPT)
      return;
    SeenFunctionTypes.insert(TD->getName().str());
    Function F = functionType(TD->getName().str(), FPT, protoLoc(TD->getTypeSourceInfo()),
                              locationOf(SM, TD->getLocation()));
    F.Doc = docOf(Ctx, TD);
    M.FunctionTypes.push_back(F);
    addInlineFunctionTypes(F.Name, FPT, protoLoc(TD->getTypeSourceInfo()));
  }

  /// The prototype a (pointer to a) function type is spelled with, for its
  /// parameter names; null when the source does not spell one.
  static FunctionProtoTypeLoc protoLoc(const TypeSourceInfo *TSI) {
    if (!TSI)
      return {};
    TypeLoc TL = TSI->getTypeLoc();
    if (auto PTL = TL.getAsAdjusted<PointerTypeLoc>())
      TL = PTL.getPointeeLoc();
    return TL.IgnoreParens().getAsAdjusted<FunctionProtoTypeLoc>();
  }

  Function functionType(std::string Name, const FunctionProtoType *FPT, FunctionProtoTypeLoc Loc,
                        gotramp::SourceLocation Where) {
    Function F;
    F.Name = std::move(Name);
    F.Result = convert(FPT->getReturnType());
    F.IsVariadic = FPT->isVariadic();
    F.Location = std::move(Where);
    // Parameter names, when the type spells them.
    for (unsigned I = 0; I < FPT->getNumParams(); ++I) {
      Parameter P;
      if (Loc && I < Loc.getNumParams() && Loc.getParam(I))
        P.Name = Loc.getParam(I)->getName().str();
      P.Ty = convert(FPT->getParamType(I));
      F.Params.push_back(std::move(P));
    }
    return F;
  }

  /// The function-pointer types spelled inline in the parameters of Owner
  /// (a function or a function-pointer type), as "OWNER.PARAM" (an unnamed
  /// parameter is "OWNER.pN", N counted from 0): Go needs their signatures
  /// to make callbacks. A parameter typed with a recorded typedef has one
  /// already.
  void addInlineFunctionTypes(const std::string &Owner, const FunctionProtoType *FPT,
                              FunctionProtoTypeLoc Loc) {
    for (unsigned I = 0; I < FPT->getNumParams(); ++I) {
      QualType QT = FPT->getParamType(I);
      const auto *PT = QT->getAs<PointerType>();
      const auto *Inner = PT ? PT->getPointeeType()->getAs<FunctionProtoType>() : nullptr;
      if (!Inner)
        continue;
      if (const auto *TT = QT->getAs<TypedefType>())
        if (SeenFunctionTypes.count(TT->getDecl()->getName().str()))
          continue;
      const ParmVarDecl *PD = Loc && I < Loc.getNumParams() ? Loc.getParam(I) : nullptr;
      std::string Param = PD ? PD->getName().str() : "";
      std::string Name = Owner + "." + (Param.empty() ? "p" + std::to_string(I) : Param);
      FunctionProtoTypeLoc InnerLoc = PD ? protoLoc(PD->getTypeSourceInfo()) : FunctionProtoTypeLoc();
      Function F = functionType(Name, Inner, InnerLoc,
                                locationOf(SM, PD ? PD->getLocation() : clang::SourceLocation()));
      F.InlineParameter = true;
      M.FunctionTypes.push_back(std::move(F));
      addInlineFunctionTypes(Name, Inner, InnerLoc);
    }
  }

  std::string addEnum(const EnumDecl *ED) {
    std::string Name = tagName(ED);
    if (!SeenEnums.insert(Name).second || !ED->isComplete())
      return Name;
    Enum E;
    E.Name = Name;
    E.Underlying = convert(ED->getIntegerType());
    E.Doc = docOf(Ctx, ED);
    E.Location = locationOf(SM, ED->getLocation());
    // Clang attaches a comment across the comma that ends the previous
    // enumerator, so a comment only documents the enumerator right after it.
    clang::SourceLocation PreviousEnd = ED->getBeginLoc();
    for (const EnumConstantDecl *C : ED->enumerators()) {
      std::string Doc;
      if (const RawComment *RC = Ctx.getRawCommentForDeclNoCache(C))
        if (SM.isBeforeInTranslationUnit(PreviousEnd, RC->getBeginLoc()))
          Doc = docOf(Ctx, C);
      E.Constants.push_back({C->getName().str(), C->getInitVal().getExtValue(), Doc});
      PreviousEnd = C->getEndLoc();
    }
    M.Enums.push_back(std::move(E));
    return Name;
  }

  void addFunction(const FunctionDecl *FD) {
    std::string Name = FD->getName().str();
    if (!SeenFunctions.insert(Name).second)
      return; // a redeclaration
    Function F;
    F.Name = Name;
    F.Symbol = Name;
    if (const auto *Label = FD->getAttr<AsmLabelAttr>())
      F.Symbol = Label->getLabel().str();
    F.Location = locationOf(SM, FD->getLocation());
    F.Doc = docOf(Ctx, FD);
    F.IsVariadic = FD->isVariadic();
    for (const auto *A : FD->specific_attrs<AnnotateAttr>())
      F.Annotations.push_back(A->getAnnotation().str());
    F.Result = convert(FD->getReturnType());
    for (const ParmVarDecl *P : FD->parameters())
      F.Params.push_back({P->getName().str(), convert(P->getType())});
    if (FD->getStorageClass() == SC_Static)
      F.UnsupportedReason = "static function has no exported symbol";
    else if (!FD->hasPrototype())
      F.UnsupportedReason = "declared without a prototype; declare it as '" + Name + "(void)'";
    bool Bindable = F.UnsupportedReason.empty();
    M.Functions.push_back(std::move(F));
    if (const auto *FPT = FD->getType()->getAs<FunctionProtoType>(); FPT && Bindable)
      addInlineFunctionTypes(Name, FPT, protoLoc(FD->getTypeSourceInfo()));
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const HeaderSet &Headers;
  Module &M;
  PrintingPolicy Policy;
  std::set<std::string> SeenRecords, SeenEnums, SeenFunctions;
  std::set<std::string> SeenFunctionTypes; // typedef names in M.FunctionTypes
};

/// Records integer object-like macros of the named headers, such as
/// `#define N 16`, `#define M (-1)` or `#define F 0x10u`.
class MacroCollector : public PPCallbacks {
public:
  MacroCollector(Preprocessor &PP, const HeaderSet &Headers,
                 std::vector<std::pair<Constant, clang::SourceLocation>> &Out)
      : PP(PP), Headers(Headers), Out(Out) {}

  void MacroDefined(const Token &NameTok, const MacroDirective *MD) override {
    const MacroInfo *MI = MD->getMacroInfo();
    const SourceManager &SM = PP.getSourceManager();
    if (!MI || !MI->isObjectLike() || !isInNamedHeader(SM, NameTok.getLocation(), Headers))
      return;
    llvm::ArrayRef<Token> Toks = MI->tokens();
    // Strip one pair of parentheses.
    if (Toks.size() >= 3 && Toks.front().is(tok::l_paren) && Toks.back().is(tok::r_paren))
      Toks = Toks.drop_front().drop_back();
    bool Negative = false;
    if (Toks.size() == 2 && Toks.front().is(tok::minus)) {
      Negative = true;
      Toks = Toks.drop_front();
    }
    if (Toks.size() != 1 || !Toks.front().is(tok::numeric_constant))
      return;
    llvm::SmallString<32> Buffer;
    bool Invalid = false;
    llvm::StringRef Spelling = PP.getSpelling(Toks.front(), Buffer, &Invalid);
    if (Invalid)
      return;
    NumericLiteralParser Literal(Spelling, Toks.front().getLocation(), SM, PP.getLangOpts(),
                                 PP.getTargetInfo(), PP.getDiagnostics());
    if (Literal.hadError || !Literal.isIntegerLiteral())
      return;
    llvm::APInt Value(64, 0);
    if (Literal.GetIntegerValue(Value))
      return; // does not fit in 64 bits
    Constant C;
    C.Name = NameTok.getIdentifierInfo()->getName().str();
    uint64_t Raw = Value.getZExtValue();
    C.IsUnsigned = !Negative && (Literal.isUnsigned || Raw > uint64_t(INT64_MAX));
    if (Negative) {
      if (Raw > uint64_t(INT64_MAX) + 1)
        return;
      C.Value = static_cast<int64_t>(0 - Raw);
    } else {
      C.Value = static_cast<int64_t>(Raw);
    }
    C.Location = locationOf(SM, NameTok.getLocation());
    Out.emplace_back(std::move(C), NameTok.getLocation());
  }

private:
  Preprocessor &PP;
  const HeaderSet &Headers;
  std::vector<std::pair<Constant, clang::SourceLocation>> &Out;
};

/// A macro's doc comment is the comment that ends on the line above it.
std::string macroDoc(ASTContext &Ctx, clang::SourceLocation Loc) {
  const SourceManager &SM = Ctx.getSourceManager();
  FileID FID = SM.getFileID(Loc);
  unsigned Line = SM.getSpellingLineNumber(Loc);
  const auto *Comments = Ctx.Comments.getCommentsInFile(FID);
  if (!Comments)
    return "";
  for (const auto &[Offset, RC] : *Comments) {
    unsigned EndLine = SM.getSpellingLineNumber(RC->getEndLoc());
    if (EndLine + 1 == Line)
      return llvm::StringRef(RC->getFormattedText(SM, Ctx.getDiagnostics())).trim().str();
  }
  return "";
}

class Consumer : public ASTConsumer {
public:
  Consumer(const HeaderSet &Headers, Module &M,
           std::vector<std::pair<Constant, clang::SourceLocation>> &Macros)
      : Headers(Headers), M(M), Macros(Macros) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    ModuleBuilder(Ctx, Headers, M).run();
    for (auto &[C, Loc] : Macros) {
      C.Doc = macroDoc(Ctx, Loc);
      M.Constants.push_back(C);
    }
  }

private:
  const HeaderSet &Headers;
  Module &M;
  std::vector<std::pair<Constant, clang::SourceLocation>> &Macros;
};

class Action : public ASTFrontendAction {
public:
  Action(const HeaderSet &Headers, Module &M) : Headers(Headers), M(M) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    Preprocessor &PP = CI.getPreprocessor();
    PP.addPPCallbacks(std::make_unique<MacroCollector>(PP, Headers, Macros));
    return std::make_unique<Consumer>(Headers, M, Macros);
  }

private:
  const HeaderSet &Headers;
  Module &M;
  std::vector<std::pair<Constant, clang::SourceLocation>> Macros;
};

} // namespace

llvm::Expected<Module> parseHeaders(const HeaderInput &Input, const Target &Tgt) {
  if (Input.Headers.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "no header to parse");
  HeaderSet Headers;
  std::string Code;
  for (const std::string &H : Input.Headers) {
    // Clang opens the file; a FIFO or /dev/zero would stall it.
    if (llvm::Error E = checkInputFile(H, "--header", MaxHeaderBytes))
      return E;
    Headers.insert(realPathOf(H));
    Code += "#include \"" + H + "\"\n";
  }
  std::string ResourceDir =
      Input.ResourceDir.empty() ? std::string(GOTRAMP_CLANG_RESOURCE_DIR) : Input.ResourceDir;
  // -ffreestanding: the builtin stdint.h/stddef.h/stdbool.h serve every
  // target without a cross libc; -fparse-all-comments: plain `//` comments
  // above a declaration are its documentation too.
  std::vector<std::string> Args = {"-xc",
                                   "-std=gnu11",
                                   "--target=" + Tgt.triple(),
                                   "-resource-dir=" + ResourceDir,
                                   "-ffreestanding",
                                   "-fparse-all-comments",
                                   "-fno-color-diagnostics",
                                   "-I."};
  Args.insert(Args.end(), Input.ClangArgs.begin(), Input.ClangArgs.end());
  Module M;
  M.Triple = Tgt.triple();
  bool OK = tooling::runToolOnCodeWithArgs(std::make_unique<Action>(Headers, M), Code, Args,
                                           "gotramp-headers.c", "gotramp");
  if (!OK) {
    std::string Names;
    for (const std::string &H : Input.Headers)
      Names += (Names.empty() ? "" : ", ") + H;
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "clang could not parse " + Names + " for " + Tgt.goName() +
                                       " (its errors are above)");
  }
  return M;
}

} // namespace gotramp
