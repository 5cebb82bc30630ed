//===- Config.cpp - gotramp.json --------------------------------------------===//
//
// The config file is the same settings as the command line plus what only a
// file can say (filters, renames, per-function overrides). Every key is listed
// with its default in docs/config.md. Reading is strict: an unknown key or a
// value of the wrong kind is an error naming the key's path.
//
//===----------------------------------------------------------------------===//
#include "gotramp/config/Options.h"
#include "gotramp/config/JsonCheck.h"
#include "gotramp/support/InputFile.h"
#include "gotramp/support/Naming.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <functional>
#include <nlohmann/json.hpp>

namespace gotramp {

namespace {

using json = nlohmann::json;

class ConfigReader {
public:
  ConfigReader(std::string File, llvm::StringRef Base) : File(std::move(File)), Base(Base) {}

  llvm::Error error(const std::string &KeyPath, const std::string &Message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   File + ": " + KeyPath + ": " + Message);
  }

  /// Calls Handle(key, value, path) for each key; Handle returns an error for
  /// an unknown key or a bad value.
  llvm::Error object(const json &J, const std::string &Path,
                     const std::function<llvm::Error(const std::string &, const json &,
                                                     const std::string &)> &Handle) const {
    if (!J.is_object())
      return error(Path.empty() ? "(top level)" : Path, "expected an object");
    for (auto It = J.begin(); It != J.end(); ++It) {
      std::string KeyPath = Path.empty() ? It.key() : Path + "." + It.key();
      if (llvm::Error E = Handle(It.key(), It.value(), KeyPath))
        return E;
    }
    return llvm::Error::success();
  }

  llvm::Error string(const json &V, const std::string &Path, std::string &Out) const {
    if (!V.is_string())
      return error(Path, "expected a string");
    Out = V.get<std::string>();
    return llvm::Error::success();
  }

  llvm::Error strings(const json &V, const std::string &Path, std::vector<std::string> &Out,
                      bool ArePaths = false, bool AreRegexes = false) const {
    if (!V.is_array())
      return error(Path, "expected an array of strings");
    std::vector<std::string> Values;
    for (const json &E : V) {
      if (!E.is_string())
        return error(Path, "expected an array of strings");
      std::string S = E.get<std::string>();
      if (AreRegexes) {
        std::string Why;
        if (!llvm::Regex(S).isValid(Why))
          return error(Path, "invalid regular expression '" + S + "': " + Why);
      }
      Values.push_back(ArePaths ? resolvePath(S) : S);
    }
    Out = std::move(Values);
    return llvm::Error::success();
  }

  llvm::Error unsignedInt(const json &V, const std::string &Path, uint64_t &Out) const {
    if (!V.is_number_unsigned())
      return error(Path, "expected a non-negative integer");
    Out = V.get<uint64_t>();
    return llvm::Error::success();
  }

  llvm::Error unknown(const std::string &Path) const { return error(Path, "unknown key"); }

  /// Relative paths are relative to the config file; "linux/ARCH=path"
  /// keeps its target prefix.
  std::string resolvePath(const std::string &P) const {
    auto [Prefix, Rest] = llvm::StringRef(P).split('=');
    if (!Rest.empty() && Prefix.contains('/'))
      return Prefix.str() + "=" + resolvePath(Rest.str());
    if (llvm::sys::path::is_absolute(P) || Base.empty())
      return P;
    llvm::SmallString<256> Joined(Base);
    llvm::sys::path::append(Joined, P);
    llvm::sys::path::remove_dots(Joined, /*remove_dot_dot=*/true);
    return std::string(Joined);
  }

private:
  std::string File;
  llvm::StringRef Base;
};

bool isExportedGoIdentifier(llvm::StringRef S) {
  if (S.empty() || !llvm::isUpper(S.front()))
    return false;
  return llvm::all_of(S, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

llvm::Error readFilter(const ConfigReader &R, const json &V, const std::string &Path,
                       std::vector<std::string> &Include, std::vector<std::string> &Exclude,
                       std::map<std::string, FunctionOverride> *Overrides,
                       std::string *UnknownBound) {
  return R.object(V, Path, [&](const std::string &Key, const json &Value,
                               const std::string &KeyPath) -> llvm::Error {
    if (Key == "include")
      return R.strings(Value, KeyPath, Include, false, true);
    if (Key == "exclude")
      return R.strings(Value, KeyPath, Exclude, false, true);
    if (Key == "unknown_bound" && UnknownBound) {
      std::string Policy;
      if (llvm::Error E = R.string(Value, KeyPath, Policy))
        return E;
      if (Policy != "own_stack" && Policy != "blocking_own_stack" && Policy != "error")
        return R.error(KeyPath,
                       "expected \"own_stack\", \"blocking_own_stack\" or \"error\"");
      *UnknownBound = Policy;
      return llvm::Error::success();
    }
    if (Key == "overrides" && Overrides)
      return R.object(Value, KeyPath, [&](const std::string &Fn, const json &Settings,
                                          const std::string &FnPath) -> llvm::Error {
        FunctionOverride &O = (*Overrides)[Fn];
        return R.object(Settings, FnPath, [&](const std::string &K, const json &V2,
                                              const std::string &P) -> llvm::Error {
          if (K == "go_name") {
            std::string Name;
            if (llvm::Error E = R.string(V2, P, Name))
              return E;
            if (!isExportedGoIdentifier(Name))
              return R.error(P, "'" + Name + "' is not an exported Go identifier");
            O.GoName = Name;
            return llvm::Error::success();
          }
          if (K == "call_path") {
            std::string Path;
            if (llvm::Error E = R.string(V2, P, Path))
              return E;
            if (Path != "direct" && Path != "blocking" && Path != "own_stack" &&
                Path != "blocking_own_stack" && Path != "callback")
              return R.error(P, "expected \"direct\", \"blocking\", \"own_stack\", "
                                "\"blocking_own_stack\" or \"callback\"");
            O.CallPath = Path;
            return llvm::Error::success();
          }
          if (K == "frame_bytes") {
            uint64_t N = 0;
            if (llvm::Error E = R.unsignedInt(V2, P, N))
              return E;
            O.FrameBytes = N;
            return llvm::Error::success();
          }
          if (K == "retain")
            return R.strings(V2, P, O.Retain);
          if (K == "variadic") {
            if (!V2.is_array())
              return R.error(P, "expected an array of call shapes");
            for (size_t I = 0; I < V2.size(); ++I) {
              std::string SP = P + "[" + std::to_string(I) + "]";
              VariadicShape Shape;
              if (llvm::Error E = R.object(V2[I], SP, [&](const std::string &SK, const json &SV,
                                                           const std::string &SKP) -> llvm::Error {
                    if (SK == "go_name") {
                      if (llvm::Error E = R.string(SV, SKP, Shape.GoName))
                        return E;
                      if (!isExportedGoIdentifier(Shape.GoName))
                        return R.error(SKP, "'" + Shape.GoName +
                                                "' is not an exported Go identifier");
                      return llvm::Error::success();
                    }
                    if (SK == "args")
                      return R.strings(SV, SKP, Shape.Args);
                    return R.unknown(SKP);
                  }))
                return E;
              if (Shape.GoName.empty())
                return R.error(SP, "a call shape needs a go_name");
              O.Variadic.push_back(std::move(Shape));
            }
            return llvm::Error::success();
          }
          return R.unknown(P);
        });
      });
    return R.unknown(KeyPath);
  });
}

} // namespace

llvm::Error applyConfigFile(const std::string &Path, GenerateOptions &Opts, Diagnostics &Diag) {
  auto Buffer = readInputFile(Path, "--config", MaxConfigBytes);
  if (!Buffer)
    return Buffer.takeError();
  llvm::StringRef Text = (*Buffer)->getBuffer();
  if (std::optional<JsonProblem> P = findJsonProblem(Text)) {
    Diag.error(SourceLocation{Path, P->Line, P->Column}, P->Message);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot read the config " + Path + " (the error above)");
  }
  json J = json::parse(Text.begin(), Text.end(), nullptr, /*allow_exceptions=*/false);
  ConfigReader R(Path, llvm::sys::path::parent_path(Path));
  if (J.is_discarded()) // findJsonProblem accepted it: not expected
    return R.error("(top level)", "not valid JSON");

  // Command-line values win: read the file into a copy, then fill the gaps.
  GenerateOptions File;
  std::optional<bool> Strict;
  if (llvm::Error E = R.object(J, "", [&](const std::string &Key, const json &V,
                                          const std::string &KeyPath) -> llvm::Error {
        if (Key == "package")
          return R.string(V, KeyPath, File.Package);
        if (Key == "out") {
          if (llvm::Error E = R.string(V, KeyPath, File.OutDir))
            return E;
          File.OutDir = R.resolvePath(File.OutDir);
          return llvm::Error::success();
        }
        if (Key == "headers")
          return R.strings(V, KeyPath, File.Headers, /*ArePaths=*/true);
        if (Key == "objects")
          return R.strings(V, KeyPath, File.Objects, /*ArePaths=*/true);
        if (Key == "targets")
          return R.strings(V, KeyPath, File.Targets);
        if (Key == "shared_libraries") {
          // A name is looked up in the library directories; only an entry
          // with a '/' is a path, relative to the config.
          if (llvm::Error E = R.strings(V, KeyPath, File.SharedLibraries))
            return E;
          for (std::string &L : File.SharedLibraries) {
            auto [Prefix, Rest] = llvm::StringRef(L).split('=');
            llvm::StringRef Entry = !Rest.empty() && Prefix.contains('/') ? Rest : L;
            if (Entry.contains('/'))
              L = R.resolvePath(L);
          }
          return llvm::Error::success();
        }
        if (Key == "shared_library_dirs")
          return R.strings(V, KeyPath, File.SharedLibraryDirs, /*ArePaths=*/true);
        if (Key == "clang_args")
          return R.strings(V, KeyPath, File.ClangArgs);
        if (Key == "strict") {
          if (!V.is_boolean())
            return R.error(KeyPath, "expected true or false");
          Strict = V.get<bool>();
          return llvm::Error::success();
        }
        if (Key == "crash_report") {
          if (!V.is_boolean())
            return R.error(KeyPath, "expected true or false");
          File.CrashReport = V.get<bool>();
          return llvm::Error::success();
        }
        if (Key == "frame_bytes") {
          uint64_t N = 0;
          if (llvm::Error E = R.unsignedInt(V, KeyPath, N))
            return E;
          File.FrameBytes = N;
          return llvm::Error::success();
        }
        if (Key == "link_mode") {
          std::string Mode;
          if (llvm::Error E = R.string(V, KeyPath, Mode))
            return E;
          if (Mode != "auto" && Mode != "static")
            return R.error(KeyPath, "expected \"auto\" or \"static\"");
          File.Link = Mode == "static" ? LinkMode::Static : LinkMode::Auto;
          return llvm::Error::success();
        }
        if (Key == "libc") {
          std::string Mode;
          if (llvm::Error E = R.string(V, KeyPath, Mode))
            return E;
          if (Mode != "none" && Mode != "dynamic")
            return R.error(KeyPath, "expected \"none\" or \"dynamic\"");
          File.Libc = Mode == "dynamic" ? LibcMode::Dynamic : LibcMode::None;
          return llvm::Error::success();
        }
        if (Key == "memory_routines") {
          std::string Mode;
          if (llvm::Error E = R.string(V, KeyPath, Mode))
            return E;
          if (Mode != "shims" && Mode != "libc")
            return R.error(KeyPath, "expected \"shims\" or \"libc\"");
          File.Memory = Mode == "libc" ? MemoryRoutines::Libc : MemoryRoutines::Shims;
          return llvm::Error::success();
        }
        if (Key == "functions")
          return readFilter(R, V, KeyPath, File.IncludeFunctions, File.ExcludeFunctions,
                            &File.Overrides, &File.UnknownBound);
        if (Key == "types")
          return readFilter(R, V, KeyPath, File.IncludeTypes, File.ExcludeTypes, nullptr, nullptr);
        if (Key == "renames")
          return R.object(V, KeyPath, [&](const std::string &CName, const json &GoName,
                                          const std::string &P) -> llvm::Error {
            std::string Name;
            if (llvm::Error E = R.string(GoName, P, Name))
              return E;
            if (!isExportedGoIdentifier(Name))
              return R.error(P, "'" + Name + "' is not an exported Go identifier");
            File.Renames[CName] = Name;
            return llvm::Error::success();
          });
        return R.unknown(KeyPath);
      }))
    return E;

  auto fill = [](auto &Target, auto &Source) {
    if (Target.empty())
      Target = std::move(Source);
  };
  fill(Opts.Package, File.Package);
  fill(Opts.OutDir, File.OutDir);
  fill(Opts.Headers, File.Headers);
  fill(Opts.Objects, File.Objects);
  fill(Opts.Targets, File.Targets);
  fill(Opts.SharedLibraries, File.SharedLibraries);
  fill(Opts.SharedLibraryDirs, File.SharedLibraryDirs);
  fill(Opts.ClangArgs, File.ClangArgs);
  if (!Opts.FrameBytes)
    Opts.FrameBytes = File.FrameBytes;
  Opts.Strict = Opts.Strict || Strict.value_or(false);
  Opts.IncludeFunctions = std::move(File.IncludeFunctions);
  Opts.ExcludeFunctions = std::move(File.ExcludeFunctions);
  Opts.IncludeTypes = std::move(File.IncludeTypes);
  Opts.ExcludeTypes = std::move(File.ExcludeTypes);
  Opts.Renames = std::move(File.Renames);
  Opts.Overrides = std::move(File.Overrides);
  Opts.Link = File.Link;
  Opts.UnknownBound = File.UnknownBound;
  if (!Opts.Libc)
    Opts.Libc = File.Libc;
  if (!Opts.Memory)
    Opts.Memory = File.Memory;
  Opts.CrashReport = File.CrashReport;
  return llvm::Error::success();
}

} // namespace gotramp
