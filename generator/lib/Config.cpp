//===- Config.cpp - gotramp.json --------------------------------------------===//
#include "gotramp/Driver.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

namespace gotramp {

namespace {

llvm::Error configError(const std::string &Path, const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Path + ": " + Message);
}

std::string resolve(llvm::StringRef Base, const std::string &P) {
  if (llvm::sys::path::is_absolute(P) || Base.empty())
    return P;
  llvm::SmallString<256> Joined(Base);
  llvm::sys::path::append(Joined, P);
  return std::string(Joined);
}

} // namespace

llvm::Error applyConfigFile(const std::string &Path, GenerateOptions &Opts) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createFileError(Path, Buffer.getError());
  nlohmann::json J = nlohmann::json::parse((*Buffer)->getBuffer().begin(),
                                           (*Buffer)->getBuffer().end(), nullptr, false);
  if (J.is_discarded() || !J.is_object())
    return configError(Path, "not a JSON object");
  llvm::StringRef Base = llvm::sys::path::parent_path(Path);

  auto strings = [&](const nlohmann::json &V, const std::string &Key, bool ArePaths,
                     std::vector<std::string> &Out) -> llvm::Error {
    if (!V.is_array())
      return configError(Path, "'" + Key + "' must be an array of strings");
    std::vector<std::string> Values;
    for (const auto &E : V) {
      if (!E.is_string())
        return configError(Path, "'" + Key + "' must be an array of strings");
      Values.push_back(ArePaths ? resolve(Base, E.get<std::string>()) : E.get<std::string>());
    }
    if (Out.empty())
      Out = std::move(Values);
    return llvm::Error::success();
  };

  for (auto It = J.begin(); It != J.end(); ++It) {
    const std::string &Key = It.key();
    const nlohmann::json &V = It.value();
    llvm::Error E = llvm::Error::success();
    if (Key == "package" || Key == "out") {
      if (!V.is_string())
        return configError(Path, "'" + Key + "' must be a string");
      std::string &Field = Key == "package" ? Opts.Package : Opts.OutDir;
      if (Field.empty())
        Field = Key == "out" ? resolve(Base, V.get<std::string>()) : V.get<std::string>();
    } else if (Key == "headers") {
      E = strings(V, Key, true, Opts.Headers);
    } else if (Key == "objects") {
      E = strings(V, Key, true, Opts.Objects);
    } else if (Key == "targets") {
      E = strings(V, Key, false, Opts.Targets);
    } else if (Key == "clang_args") {
      E = strings(V, Key, false, Opts.ClangArgs);
    } else if (Key == "strict") {
      if (!V.is_boolean())
        return configError(Path, "'strict' must be true or false");
      Opts.Strict = Opts.Strict || V.get<bool>();
    } else if (Key == "frame_bytes") {
      if (!V.is_number_unsigned())
        return configError(Path, "'frame_bytes' must be a non-negative integer");
      if (!Opts.FrameBytes)
        Opts.FrameBytes = V.get<uint64_t>();
    } else {
      return configError(Path, "unknown key '" + Key + "'");
    }
    if (E)
      return E;
  }
  return llvm::Error::success();
}

} // namespace gotramp
