//===- StackAnalysis.h - stack bounds from the machine code ----------------===//
//
// Goroutine stacks have no guard page (ARCHITECTURE.md fact 4): the frame a
// trampoline reserves must cover everything the native callee and its callees
// can use. analyzeStack computes that bound from the machine code itself, with
// LLVM MC, for x86-64 and AArch64.
//
// Units. Every number is a byte count measured down from the caller's stack
// pointer at the call instruction (the callee's CFA): the highest stack
// address the function may touch is CFA-1, the lowest is CFA-Bound.
//  - x86-64: a function's own frame includes the 8-byte return address its
//    caller's CALL pushed. Consequently a call site at own depth D (bytes in
//    use in the caller, its return address included) costs D + bound(callee):
//    the callee's return address is counted once, inside the callee. A tail
//    jump at depth D costs D - 8 + bound(callee) (the callee reuses the
//    caller's return address slot).
//  - AArch64: the return address lives in x30; the own frame starts at 0 and
//    a call or tail call at depth D costs D + bound(callee).
// A Go trampoline that aligns SP to 16 and issues CALL (amd64) or BL (arm64)
// needs exactly Bound bytes below that SP. Not included: arguments the root
// receives on the stack and its hidden result buffer, which the trampoline
// lays out above that SP (in its own frame).
//
// What the own frame covers (per instruction, the running depth; the own
// frame is its maximum over every path of the function's control-flow graph):
//  - pushes/pops, `sub/add rsp, imm`, `enter N, 0`, `leave`, `mov rsp, rbp`,
//    `lea rsp, [rbp - k]`; `stp/str ... [sp, #-N]!`, `ldp/ldr ... [sp], #N`,
//    `sub/add sp, sp, #imm{, lsl #12}`, `mov sp, x29`, `sub sp, x29, #k`,
//    through registers that hold copies of SP (frame pointers, scratch).
//  - realignment (`and rsp, -N`; `and sp, xK, #-N`): the psABIs guarantee a
//    16-byte aligned CFA (SysV: RSP+8 is 16-aligned at entry; AAPCS64: SP is
//    always 16-aligned), and the trampoline establishes it. When the depth D
//    before the `and` is known exactly, SP mod 16 is known and the `and` can
//    drop SP by at most N - 16 + ((-D) mod 16) (e.g. N - 16 after
//    `push rbp`); when D is only an upper bound, by N - 1. Both are sound;
//    the first is what compiled code gets.
//  - the System V red zone: an access below RSP through a constant
//    displacement charges exactly the deepest byte touched; an access below
//    RSP with an index register, or an address below RSP that escapes the
//    tracking (used by an instruction that is not modelled, e.g. `lea rdi,
//    [rsp-64]` then `rep stosb`, or passed to a call), charges the whole
//    128-byte red zone. Leaf functions that never touch memory below RSP are
//    charged nothing extra (a blanket +128 per leaf would be sound too, but
//    makes small leaves 17x too loose). The same rule is applied to AArch64
//    (whose Linux ABI has no red zone), so an access below SP is never
//    missed there either.
//  - Assumption (true of compiled code): an address of an object in the
//    allocated frame (above SP) stays inside that object, so once such a
//    pointer is modified by an instruction that is not modelled it can be
//    forgotten; C objects never straddle SP. A copy of SP stepped down in a
//    loop is widened after a few rounds and charged the red zone.
//  - Calls are assumed to return: the code after a call to a function that
//    never returns is analysed at the caller's depth. GCC sometimes places
//    an unrelated block there, which then shows up as an unknown bound
//    ("return with N bytes still on the stack"), never as a wrong one.
//
// What makes a bound unknown (StackProblem): recursion (the cycle is
// reported), an indirect call, an indirect jump that is not a recognised
// intra-function jump table, a dynamic stack adjustment (alloca, VLA, SP
// loaded from an untracked value), a stack adjustment inside a loop, a call
// or tail call to a symbol the object does not define or to an address that
// is not a function start, an instruction that cannot be disassembled, an
// unsupported instruction writing SP, and code that runs past the end of its
// function.
//
// Jump tables. `jmp reg` / `br reg` is accepted as intra-function dispatch
// when the register provably holds Base + (Table[i] << Shift) with Base and
// Table constant addresses, the clang/GCC PIC forms:
//   x86-64:  lea rT,[rip+T]; movsxd rE,[rT+4*i]; add rE,rT; jmp rE
//            (also `mov r32,[rT+4*i]`, `movzx` of bytes/halfwords)
//   AArch64: adrp/add xT,T; adr xB,L; ldr{b,h,sw,w} wE,[xT,xI{,lsl #s}];
//            add xB,xB,xE{,lsl #k}; br xB
// The table is read entry by entry (relocations applied) while the targets
// land inside the function (on x86-64: on an instruction boundary of a linear
// sweep of the function, which must agree with every instruction the control
// flow reaches or the table is rejected); every such target is a successor
// at the jump's depth. Reading stops at the first invalid target, so entries
// past the table's end can only add spurious successors (a sound
// over-approximation), never drop real ones. A compiler never puts a target
// outside the function in a switch table; hand-written tables that do are
// out of scope. Absolute (non-PIC) tables `jmp [8*rax + T]` are reported as
// indirect jumps; the packer needs PIC code anyway.
//
// Inputs. An ELF64 relocatable object: the packer's static blob (one .text,
// no relocations) or a compiler/`ld -r` object with relocations (including
// -ffunction-sections). Sections are laid out at page-aligned virtual
// addresses and relocations applied (x86-64: 64, PC32, PLT32, 32, 32S,
// GOTPCREL{,X}, REX_GOTPCRELX, PC64; AArch64: ABS64/32, PREL64/32, CALL26,
// JUMP26, CONDBR19, TSTBR14, ADR_PREL_LO21, ADR_PREL_PG_HI21{,_NC},
// ADD_ABS_LO12_NC, LDST{8,16,32,64,128}_ABS_LO12_NC, ADR_GOT_PAGE,
// LD64_GOT_LO12_NC); undefined symbols get distinct external addresses so a
// call to them is reported by name, and GOT slots read back as the target
// symbol's address (so `call [rip+f@GOTPCREL]` is a direct call to f).
// Linked ET_EXEC/ET_DYN files are accepted too (addresses as linked, no
// relocation processing).
//
// `.stack_sizes` (clang -fstack-size-section) is a cross-check, never a
// source: clang's figure is MachineFrameInfo::getStackSize(), i.e. pushes of
// callee-saved registers (including RBP / the x29,x30 frame record), locals,
// spills and outgoing arguments, without the return address and without the
// red-zone part of a leaf's frame, and without realignment slack. Hence the
// exact relation checked is  OwnFrame >= StackSizes + ReturnAddressBytes
// (8 on x86-64, 0 on AArch64) for every function whose own analysis
// completed; a violation means the analysis missed a stack adjustment and is
// reported in StackReport::Mismatches (the tests fail on it).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gotramp {

enum class StackProblem {
  None,
  Recursion,          // the function is on, or reaches, a call-graph cycle
  IndirectCall,       // call through a register or memory not resolved
  IndirectJump,       // jmp/br through a register, not a recognised jump table
  DynamicStack,       // SP moved by a run-time amount (alloca, VLA)
  StackLoop,          // SP keeps moving inside a loop (e.g. stack probing)
  UnsupportedStackOp, // an instruction writes SP in a way not modelled
  ExternalCall,       // call/tail call to a symbol the object does not define
  BadTarget,          // call/branch to an address that is not a function start
  Disassembly,        // reachable bytes that do not decode
  FallsOffEnd,        // execution runs past the end of the function
  BadRelocation,      // a control transfer patched by an unsupported relocation
};

/// "recursion", "indirect-call", ... (stable: used in JSON and tests).
llvm::StringRef stackProblemName(StackProblem P);

struct StackCallSite {
  uint64_t Address = 0;     // offset of the instruction in its section
  std::string Callee;       // function name; symbol name for ExternalCall
  bool Tail = false;        // jmp/b (or a conditional branch) to another function
  bool External = false;    // callee not defined in the object
  uint64_t DepthAtSite = 0; // own depth at the site (see units above)
};

struct StackFunction {
  std::string Name;
  std::vector<std::string> Aliases; // other symbols at the same address
  std::string Section;              // e.g. ".text" or ".text.foo"
  uint64_t Offset = 0;              // symbol value within Section
  uint64_t Size = 0;
  bool Global = false;

  /// Maximum own depth, return address (x86-64) and red zone included.
  uint64_t OwnFrame = 0;
  /// Direct calls and tail calls, in address order (one entry per site).
  std::vector<StackCallSite> Calls;
  /// Distinct callee names, in order of first call site.
  std::vector<std::string> Callees;
  /// Jump tables recognised (each counted once per dispatch site).
  unsigned JumpTables = 0;

  /// Problems in this function's own code, in address order.
  struct Issue {
    StackProblem Kind = StackProblem::None;
    uint64_t Address = 0; // offset in Section
    std::string Detail;   // full sentence, e.g. "indirect call at 0x12 (call rax)"
    std::string External; // ExternalCall: the symbol called
  };
  std::vector<Issue> Issues;

  /// `.stack_sizes` figure, when the object has one for this function.
  std::optional<uint64_t> CompilerStackSize;
  bool CompilerMismatch = false; // OwnFrame < CompilerStackSize + return address

  // Whole call graph.
  bool Bounded = false;
  uint64_t Bound = 0;
  std::vector<std::string> DeepestPath; // [this, callee, ...] realising Bound
  StackProblem Problem = StackProblem::None;
  std::string Reason;                // one line, names the function and address
  std::string ProblemFunction;       // function whose code has the problem
  uint64_t ProblemAddress = 0;       // offset in ProblemFunction's section
  std::vector<std::string> ProblemPath; // [this, ..., ProblemFunction]
  std::vector<std::string> Cycle;    // Recursion: [a, b, ..., a]
  std::string ExternalSymbol;        // ExternalCall: the symbol called
};

struct StackReport {
  Target Tgt;
  uint64_t ReturnAddressBytes = 8; // 8 on x86-64, 0 on AArch64
  bool HasStackSizes = false;      // the object carried .stack_sizes
  std::vector<StackFunction> Functions; // sorted by section, offset
  std::vector<std::string> Mismatches;  // .stack_sizes disagreements
};

/// Analyses every function (STT_FUNC symbol, plus untyped global symbols in
/// executable sections) of ElfObject. Errors: not ELF64LE, another machine
/// than T, no symbol table, LLVM target not available. Problems in the code
/// are not errors: they make the affected bounds unknown.
llvm::Expected<StackReport> analyzeStack(llvm::ArrayRef<uint8_t> ElfObject,
                                         const Target &T);

/// The whole-call-graph bound of one root.
struct StackBound {
  bool Known = false;
  uint64_t Bytes = 0;                 // valid when Known
  std::vector<std::string> Path;      // Known: deepest path; else path to the problem
  StackProblem Problem = StackProblem::None;
  std::string Reason;                 // empty when Known
  std::string ProblemFunction;
  uint64_t ProblemAddress = 0;
  std::string ExternalSymbol; // ExternalCall: the symbol called
};

/// Looks Name up among the functions and their aliases (a global symbol wins
/// over locals of the same name). Error when missing or ambiguous.
llvm::Expected<StackBound> boundFor(const StackReport &Report,
                                    llvm::StringRef Name);

/// One line for comments and the report: "stack bound 184 bytes (f -> g)" or
/// "stack bound unknown: recursion f -> g -> f".
std::string describeStackBound(const StackBound &B);

//===-- Sizing trampolines ------------------------------------------------===//

/// Added to a bound to size a trampoline frame. The bound itself is exact
/// for the model above (it includes the return address of the trampoline's
/// CALL); the margin only covers the trampoline's own mechanics: up to 15
/// bytes lost aligning SP down to 16 inside its frame, and the 16-byte slot
/// at the top of an arm64 frame that holds the caller's saved FP/LR and must
/// not be overwritten (ARCHITECTURE.md fact 4).
constexpr uint64_t StackMarginBytes = 32;

/// Go frame size to declare for a trampoline whose native callee has this
/// bound: alignTo(Bound + StackMarginBytes, 16).
uint64_t trampolineFrameBytes(uint64_t Bound);

/// Largest declared frame (`TEXT sym(SB), NOSPLIT, $N-args`) for which a
/// NOSPLIT trampoline that runs the native code *inside* its declared frame is
/// safe. Derivation, checked against the Go 1.26 sources:
///  - internal/abi/stack.go: StackNosplitBase = 800; cmd/internal/objabi and
///    runtime: StackNosplit = 800 * multiplier (1 on linux, 2 with -race);
///    runtime/stack.go: stackGuard = stackNosplit + stackSystem (0 on linux)
///    + StackSmall, so after any splittable function's prologue at least
///    StackNosplit bytes remain below its SP.
///  - cmd/link/internal/ld/stackcheck.go: a NOSPLIT chain may grow at most
///    StackNosplit - callSize (amd64: 8, the CALL into the chain; arm64: 0,
///    then another -8) = 792 bytes, counting each function's SP height and a
///    callSize at every call, including the CALL to the native symbol.
///  - amd64 (obj6.go): height = N + 8 (saved BP, added for any frame with a
///    CALL), + 8 at the CALL edge: N + 16 <= 792, N <= 776.
///    arm64 (obj7.go): height = N + 8 (LR) + 8 or 16 (FP slot): N <= 768.
///  - The compiler's ABIInternal->ABI0 wrapper, generated when a Go func value
///    refers to the trampoline, is itself NOSPLIT (ssagen/abi.go) and sits in
///    the same chain; its frame spills the arguments. 128 bytes are reserved
///    for it (16 eight-byte argument words), so 768 - 128 = 640.
/// Because the frame is declared, cmd/link re-checks every NOSPLIT chain that
/// ends in the trampoline (wrappers, user NOSPLIT callers): a chain that does
/// not fit is the link error "nosplit stack over 792 byte limit", never
/// silent corruption. If the native code ran below the declared frame, the
/// linker could not see it (it ignores calls to foreign code) and the rule
/// would not hold. Signal handlers run on the gsignal stack (sigaltstack), so
/// they need no room here.
constexpr uint64_t NosplitMaxFrameBytes = 640;

/// True when a NOSPLIT trampoline with frame trampolineFrameBytes(Bound) is
/// provably safe (see NosplitMaxFrameBytes).
bool fitsNosplit(uint64_t Bound);

} // namespace gotramp
