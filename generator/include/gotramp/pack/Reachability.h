//===- Reachability.h - what each root's code reaches in the inputs --------===//
//
// ld.lld reports an undefined symbol for the whole link and cuts its list
// short; gotramp wants to skip just the functions that need it and say why,
// all in one run. findRootProblems follows the inputs' relocations from each
// root the way --gc-sections keeps sections (a section is kept whole when
// anything in it is referenced), and names, per root, every symbol no input
// defines and every weak reference to one, with the chain of functions that
// leads there. findSectionProblems walks the same graph to name the
// objects, sections and symbols behind TLS, static constructors and
// large-code-model sections.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gotramp {

/// A reference from a root's code that the packer cannot satisfy.
struct RootProblem {
  enum Kind {
    Undefined,     // no input defines the symbol
    WeakUndefined, // a weak reference to a symbol no input defines
  } What = Undefined;
  std::string Symbol;
  /// From the root to the function that holds the reference: {"f", "g"}.
  std::vector<std::string> Chain;
  std::string Object;  // the object or archive member holding the reference
  std::string Section; // its section
  /// Set when the reference is in a function other than the one the chain
  /// entered the section by (Chain.back()): that function is kept only
  /// because the object was compiled without -ffunction-sections.
  std::string SharedWith;

  /// "'malloc' (f -> g -> malloc)".
  std::string describe() const;
  /// Why the function holding the reference is there at all, when it only
  /// shares a section with Chain.back(); "" otherwise.
  std::string sharingNote() const;
};

/// A section of the inputs, kept in the link, that Go cannot load.
struct SectionProblem {
  enum Kind {
    ThreadLocal, // .tdata/.tbss: Go owns the thread pointer
    Constructor, // .init_array/.ctors/.preinit_array: Go never runs them
    LargeModel,  // .ltext/.lrodata/.ldata/.lbss: -mcmodel=large (or medium)
  } What = ThreadLocal;
  std::string Object;  // the object or archive member ("lib.a(m.o)")
  std::string Section;
  /// The symbols defined in the section (thread-local variables, large-model
  /// functions and data) or, for constructors, those its entries point to.
  std::vector<std::string> Symbols;
  /// ThreadLocal: the reached functions that refer to the section.
  std::vector<std::string> Users;
};

/// Every thread-local or large-model section the roots reach, and every
/// constructor section of an object ld.lld loads (each object given by
/// itself, each archive member that something reached is in), sorted by
/// object and section. For messages naming where the merged code's TLS,
/// constructors or large-model sections come from.
llvm::Expected<std::vector<SectionProblem>>
findSectionProblems(const std::vector<std::string> &ObjectPaths, const Target &Tgt,
                    const std::vector<std::string> &Roots);

/// For every root in Roots (symbols defined by the inputs) that reaches a
/// problem, its problems, sorted by symbol, one per symbol (the shortest
/// chain). Provided symbols (the mem shims) are not problems, nor are the
/// symbols ld.lld defines itself (__start_SEC, __stop_SEC,
/// _GLOBAL_OFFSET_TABLE_). Errors name an unreadable input.
llvm::Expected<std::map<std::string, std::vector<RootProblem>>>
findRootProblems(const std::vector<std::string> &ObjectPaths, const Target &Tgt,
                 const std::vector<std::string> &Roots, const std::set<std::string> &Provided);

} // namespace gotramp
