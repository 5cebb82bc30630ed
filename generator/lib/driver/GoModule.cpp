//===- GoModule.cpp - warn when the user's module cannot resolve the shim ---===//
//
// Generated packages import runtime-shims/go/shim (blocking and own-stack
// trampolines, crash-report symbol tables). That package is its own module,
// github.com/gotramp/gotramp/runtime-shims/go, standard library only, so a
// user's module can depend on it without the repository's examples. Until it
// is published, `go build` in a user's module fails with "no required module
// provides package" unless go.mod requires it and replaces it with the copy
// `cmake --install` puts beside gotramp. `generate` checks that after writing
// and prints the one command that fixes it, ready to paste.
//
// The go.mod reader is deliberately small: module, require and replace are
// all that decide whether the import resolves; everything else is skipped.
//
//===----------------------------------------------------------------------===//
#include "gotramp/driver/GoModule.h"

#include "gotramp/BuildConfig.h"
#include "gotramp/plan/Plan.h"
#include "gotramp/support/InputFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <string_view>

namespace gotramp {

static_assert(std::string_view(ShimImportPath).starts_with(std::string_view(ShimModulePath)),
              "the shim package must live in the shim module");

namespace {

llvm::Error lineError(unsigned LineNo, const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "line " + llvm::Twine(LineNo) + ": " + Message);
}

/// Splits one go.mod line into tokens the way the go command's lexer does for
/// the directives read here: words, "(" and ")", "=>", and quoted strings
/// (interpreted "..." or raw `...`, returned unquoted); "//" starts a comment.
llvm::Expected<std::vector<std::string>> tokenize(llvm::StringRef Line, unsigned LineNo) {
  std::vector<std::string> Tokens;
  size_t I = 0;
  while (I < Line.size()) {
    char C = Line[I];
    if (llvm::isSpace(C)) {
      ++I;
      continue;
    }
    if (Line.substr(I).starts_with("//"))
      break;
    if (C == '(' || C == ')') {
      Tokens.emplace_back(1, C);
      ++I;
      continue;
    }
    if (Line.substr(I).starts_with("=>")) {
      Tokens.emplace_back("=>");
      I += 2;
      continue;
    }
    if (C == '"' || C == '`') {
      std::string Value;
      size_t J = I + 1;
      for (; J < Line.size() && Line[J] != C; ++J) {
        if (C == '"' && Line[J] == '\\' && J + 1 < Line.size())
          ++J;
        Value += Line[J];
      }
      if (J >= Line.size())
        return lineError(LineNo, "unterminated quoted string");
      Tokens.push_back(std::move(Value));
      I = J + 1;
      continue;
    }
    size_t J = I;
    while (J < Line.size() && !llvm::isSpace(Line[J]) && Line[J] != '(' && Line[J] != ')' &&
           Line[J] != '"' && Line[J] != '`' && !Line.substr(J).starts_with("//") &&
           !Line.substr(J).starts_with("=>"))
      ++J;
    Tokens.push_back(Line.slice(I, J).str());
    I = J;
  }
  return Tokens;
}

/// One directive's arguments (the tokens after the verb, or a line of its
/// block).
llvm::Error addDirective(GoModFile &Mod, llvm::StringRef Verb,
                         llvm::ArrayRef<std::string> Args, unsigned LineNo) {
  if (Verb == "module") {
    if (Args.size() != 1)
      return lineError(LineNo, "module takes one path");
    Mod.ModulePath = Args[0];
  } else if (Verb == "require") {
    if (Args.size() != 2)
      return lineError(LineNo, "require takes a module path and a version");
    Mod.Requires.push_back({Args[0], Args[1]});
  } else if (Verb == "replace") {
    auto Arrow = llvm::find(Args, "=>");
    size_t Left = Arrow - Args.begin(), Right = Args.end() - Arrow - 1;
    if (Arrow == Args.end() || Left < 1 || Left > 2 || Right < 1 || Right > 2)
      return lineError(LineNo, "replace takes PATH [VERSION] => PATH [VERSION]");
    Mod.Replaces.push_back({Args[0], Left == 2 ? Args[1] : "", Arrow[1],
                            Right == 2 ? Arrow[2] : ""});
  }
  // go, toolchain, exclude, retract, godebug, tool, ...: no say in where a
  // package comes from.
  return llvm::Error::success();
}

/// A word the shell reads as itself; anything else goes in single quotes.
std::string shellQuote(llvm::StringRef Word) {
  bool Plain = !Word.empty() && llvm::all_of(Word, [](char C) {
    return llvm::isAlnum(C) || llvm::StringRef("_-./@=:+,%").contains(C);
  });
  if (Plain)
    return Word.str();
  std::string Quoted = "'";
  for (char C : Word) {
    if (C == '\'')
      Quoted += "'\\''";
    else
      Quoted += C;
  }
  return Quoted + "'";
}

bool importsShim(llvm::ArrayRef<std::pair<std::string, std::string>> Files) {
  std::string Import = "\"" + std::string(ShimImportPath) + "\"";
  return llvm::any_of(Files, [&](const std::pair<std::string, std::string> &F) {
    return llvm::StringRef(F.first).ends_with(".go") &&
           llvm::StringRef(F.second).contains(Import);
  });
}

std::string absolutePath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Path, Real))
    return std::string(Real);
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

bool hasGoMod(llvm::StringRef Dir) {
  llvm::SmallString<256> GoMod(Dir);
  llvm::sys::path::append(GoMod, "go.mod");
  return llvm::sys::fs::is_regular_file(GoMod);
}

/// `go mod edit` adding the shim module and pointing it at gotramp's copy.
std::string goModEditCommand(llvm::StringRef ShimCopy) {
  std::string Module = ShimModulePath;
  std::string Replacement = ShimCopy.empty() ? "DIR" : ShimCopy.str();
  return "go mod edit " + shellQuote("-require=" + Module + "@v" + GOTRAMP_VERSION) + " " +
         shellQuote("-replace=" + Module + "=" + Replacement);
}

} // namespace

bool GoModFile::requiresModule(llvm::StringRef Path) const {
  return llvm::any_of(Requires, [&](const GoModRequirement &R) { return R.Path == Path; });
}

bool GoModFile::replacesModule(llvm::StringRef Path) const {
  return llvm::any_of(Replaces, [&](const GoModReplacement &R) { return R.OldPath == Path; });
}

llvm::Expected<GoModFile> parseGoMod(llvm::StringRef Text) {
  GoModFile Mod;
  std::string BlockVerb; // inside `VERB (` ... `)`
  unsigned BlockLine = 0, LineNo = 0;
  llvm::SmallVector<llvm::StringRef> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    ++LineNo;
    auto Tokens = tokenize(Line, LineNo);
    if (!Tokens)
      return Tokens.takeError();
    if (Tokens->empty())
      continue;
    llvm::ArrayRef<std::string> Words = *Tokens;
    if (!BlockVerb.empty()) {
      if (Words.front() == ")") {
        BlockVerb.clear();
        continue;
      }
      if (llvm::Error E = addDirective(Mod, BlockVerb, Words, LineNo))
        return E;
      continue;
    }
    llvm::StringRef Verb = Words.front();
    llvm::ArrayRef<std::string> Args = Words.drop_front();
    if (Args.size() == 2 && Args[0] == "(" && Args[1] == ")")
      continue; // `require ()`
    if (Args.size() == 1 && Args[0] == "(") {
      BlockVerb = Verb.str();
      BlockLine = LineNo;
      continue;
    }
    if (llvm::Error E = addDirective(Mod, Verb, Args, LineNo))
      return E;
  }
  if (!BlockVerb.empty())
    return lineError(BlockLine, "'" + BlockVerb + " (' is never closed");
  return Mod;
}

bool resolvesShimModule(const GoModFile &Mod) {
  return Mod.ModulePath == ShimModulePath || Mod.requiresModule(ShimModulePath) ||
         (Mod.ModulePath == RepositoryModulePath && Mod.replacesModule(ShimModulePath));
}

std::string findEnclosingGoMod(llvm::StringRef Dir) {
  llvm::SmallString<256> Current(Dir);
  while (!Current.empty()) {
    if (hasGoMod(Current)) {
      llvm::sys::path::append(Current, "go.mod");
      return std::string(Current);
    }
    llvm::StringRef Parent = llvm::sys::path::parent_path(Current);
    if (Parent == Current)
      break;
    Current = Parent.str();
  }
  return "";
}

std::string findShimModuleCopy(llvm::StringRef ExecutablePath) {
  if (!ExecutablePath.empty()) {
    // BIN/gotramp -> BIN/../GOTRAMP_GO_MODULE_INSTALL_DIR, as installed.
    llvm::SmallString<256> Installed(llvm::sys::path::parent_path(ExecutablePath));
    llvm::sys::path::append(Installed, "..", GOTRAMP_GO_MODULE_INSTALL_DIR);
    if (hasGoMod(Installed))
      return absolutePath(Installed);
  }
  // A gotramp run from its build tree has no share/ beside it.
  if (hasGoMod(GOTRAMP_GO_MODULE_SOURCE_DIR))
    return absolutePath(GOTRAMP_GO_MODULE_SOURCE_DIR);
  return "";
}

void warnIfShimUnresolved(llvm::StringRef OutDir,
                          llvm::ArrayRef<std::pair<std::string, std::string>> Files,
                          llvm::StringRef ExecutablePath, Diagnostics &Diag) {
  if (!importsShim(Files))
    return;
  std::string Out = absolutePath(OutDir);
  std::string GoModPath = findEnclosingGoMod(Out);
  std::string Unreadable; // why GoModPath could not be checked
  std::string ModulePath;
  if (!GoModPath.empty()) {
    auto Buffer = readInputFile(GoModPath, "go.mod", MaxConfigBytes);
    if (!Buffer) {
      Unreadable = llvm::toString(Buffer.takeError());
    } else if (auto Mod = parseGoMod((*Buffer)->getBuffer()); !Mod) {
      Unreadable = llvm::toString(Mod.takeError());
    } else if (resolvesShimModule(*Mod)) {
      return;
    } else {
      ModulePath = Mod->ModulePath;
    }
  }

  const SourceLocation NoLocation;
  const std::string Imports = "the generated package imports " + std::string(ShimImportPath);
  std::string ShimCopy = findShimModuleCopy(ExecutablePath);
  std::string Edit = goModEditCommand(ShimCopy);
  if (GoModPath.empty()) {
    Diag.warning(NoLocation, Imports + ", but " + Out +
                                 " is in no Go module (no go.mod in it or above it), so "
                                 "`go build` cannot resolve the import");
    Diag.warning(NoLocation, "to fix it, create a module there (MODULE is its path, e.g. "
                             "example.com/mylib; or create it in a directory above) and add "
                             "gotramp's runtime module to it:");
    Diag.warning(NoLocation, "  cd " + shellQuote(Out) + " && go mod init MODULE && " + Edit);
  } else {
    if (!Unreadable.empty())
      Diag.warning(NoLocation, Imports + ", and gotramp cannot read " + GoModPath + " (" +
                                   Unreadable + ") to check that it requires " +
                                   ShimModulePath);
    else
      Diag.warning(NoLocation, Imports + ", but module " + ModulePath + " (" + GoModPath +
                                   ") does not require " + ShimModulePath +
                                   ", so `go build` will fail with \"no required module "
                                   "provides package\"");
    Diag.warning(NoLocation, "to fix it, add gotramp's runtime module to " + GoModPath + ":");
    Diag.warning(NoLocation, "  cd " + shellQuote(llvm::sys::path::parent_path(GoModPath)) +
                                 " && " + Edit);
  }
  if (ShimCopy.empty())
    Diag.warning(NoLocation, "(DIR: a copy of runtime-shims/go from gotramp's sources; none "
                             "was found beside this gotramp or where it was built)");
}

void warnIfPuregoUnresolved(llvm::StringRef OutDir,
                            llvm::ArrayRef<std::pair<std::string, std::string>> Files,
                            Diagnostics &Diag) {
  std::string Import = "\"" + std::string(PuregoModulePath) + "\"";
  auto Importer = llvm::find_if(Files, [&](const std::pair<std::string, std::string> &F) {
    return llvm::StringRef(F.first).ends_with(".go") && llvm::StringRef(F.second).contains(Import);
  });
  if (Importer == Files.end())
    return;
  std::string GoModPath = findEnclosingGoMod(absolutePath(OutDir));
  if (GoModPath.empty())
    return; // warnIfShimUnresolved already says there is no module
  auto Buffer = readInputFile(GoModPath, "go.mod", MaxConfigBytes);
  if (!Buffer) {
    llvm::consumeError(Buffer.takeError());
    return;
  }
  auto Mod = parseGoMod((*Buffer)->getBuffer());
  if (!Mod) {
    llvm::consumeError(Mod.takeError());
    return;
  }
  if (Mod->requiresModule(PuregoModulePath) || Mod->ModulePath == PuregoModulePath)
    return;
  const SourceLocation NoLocation;
  Diag.warning(NoLocation, Importer->first + " imports " + PuregoModulePath +
                               " (libc mode without cgo: it makes Go's threads pthreads), but "
                               "module " + Mod->ModulePath + " (" + GoModPath +
                               ") does not require it; add it once:");
  Diag.warning(NoLocation, "  cd " + shellQuote(llvm::sys::path::parent_path(GoModPath)) +
                               " && go get " + PuregoModulePath + "@" + PuregoVersion);
}

} // namespace gotramp
