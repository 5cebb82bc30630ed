//===- GoModule.h - can the user's Go module resolve the shim? --------------===//
//
// Generated packages import runtime-shims/go/shim, which lives in its own Go
// module. A user's module builds such a package only when its go.mod requires
// that module (and, while it is not published, replaces it with gotramp's
// copy). These helpers read just enough of a go.mod to tell, so `generate`
// can print the commands that fix the module instead of leaving the user with
// `go build`'s "no required module provides package".
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace gotramp {

/// The module that holds the shim package (ShimImportPath in plan/Plan.h).
inline constexpr const char *ShimModulePath = "github.com/gotramp/gotramp/runtime-shims/go";
/// The repository's root module; its go.mod replaces ShimModulePath with
/// ./runtime-shims/go.
inline constexpr const char *RepositoryModulePath = "github.com/gotramp/gotramp";

/// Libc mode's CGO_ENABLED=0 thread setup (the generated NAME_libc_purego.go
/// imports it), and the version gotramp is tested with and tells users to
/// require: v0.10.2, the newest whose go.mod accepts Go 1.23 (v0.11 needs
/// Go 1.25); README "Libc mode" says why.
inline constexpr const char *PuregoModulePath = "github.com/ebitengine/purego";
inline constexpr const char *PuregoVersion = "v0.10.2";

struct GoModRequirement {
  std::string Path;
  std::string Version;
};

/// `replace OldPath [OldVersion] => NewPath [NewVersion]`; NewVersion is
/// empty when NewPath is a directory.
struct GoModReplacement {
  std::string OldPath;
  std::string OldVersion;
  std::string NewPath;
  std::string NewVersion;
};

/// The directives of a go.mod that decide where a module's imports come from.
struct GoModFile {
  std::string ModulePath;
  std::vector<GoModRequirement> Requires;
  std::vector<GoModReplacement> Replaces;

  bool requiresModule(llvm::StringRef Path) const;
  bool replacesModule(llvm::StringRef Path) const;
};

/// Reads `module`, `require` and `replace`, single-line and in blocks, with
/// comments and quoted paths; every other directive is skipped. A malformed
/// line of those three, or an unclosed block, is an error naming the line.
llvm::Expected<GoModFile> parseGoMod(llvm::StringRef Text);

/// A module with this go.mod can build a package importing ShimImportPath:
/// it requires ShimModulePath, is that module, or is the repository's root
/// module replacing it.
bool resolvesShimModule(const GoModFile &Mod);

/// Dir/go.mod, or the go.mod of the nearest directory above Dir; "" when no
/// directory up to the root has one. Dir should be absolute.
std::string findEnclosingGoMod(llvm::StringRef Dir);

/// The copy of the shim module a user's go.mod should replace it with: the
/// one installed beside the executable (BIN/../share/gotramp/go) when it has
/// a go.mod, else the source tree's runtime-shims/go this gotramp was built
/// from; "" when neither exists. ExecutablePath may be empty (not known).
std::string findShimModuleCopy(llvm::StringRef ExecutablePath);

/// Called after `generate` wrote Files (name, content) into OutDir: when a
/// written Go file imports the shim and the module enclosing OutDir cannot
/// resolve it, warns on Diag with the commands that fix the module. Never an
/// error: the generated files are right, the module is what is incomplete.
/// Like warnIfShimUnresolved for PuregoModulePath: when a written Go file
/// imports it and the enclosing go.mod does not require it, warns with the
/// `go get PuregoModulePath@PuregoVersion` command that adds it.
void warnIfPuregoUnresolved(llvm::StringRef OutDir,
                            llvm::ArrayRef<std::pair<std::string, std::string>> Files,
                            Diagnostics &Diag);

void warnIfShimUnresolved(llvm::StringRef OutDir,
                          llvm::ArrayRef<std::pair<std::string, std::string>> Files,
                          llvm::StringRef ExecutablePath, Diagnostics &Diag);

} // namespace gotramp
