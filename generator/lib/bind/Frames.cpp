//===- Frames.cpp - trampoline frames from the stack analysis -------------===//
//
// Once the native code of a target is packed, every trampoline gets its
// frame: the analysed stack bound plus a margin, the config's number, or
// the own stack when the bound is unknown and the config allows it
// (sizeFrames). Then its instructions are selected (trampoline/) and those
// whose whole frame fits Go's nosplit budget become NOSPLIT
// (selectTrampolines).
//
//===----------------------------------------------------------------------===//
#include "gotramp/bind/Bind.h"

#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/trampoline/Trampolines.h"

namespace gotramp {
namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// A call through a pointer has no bound: the own stack, or the frame the
/// config gives (functions.overrides.TYPEDEF.frame_bytes).
llvm::Error sizePointerCallerFrame(BoundFunction &BF) {
  FramePlan &F = BF.Frame;
  F.Stack = "no stack bound: the callee is only known at run time";
  F.NoSplit = false;
  if (onOwnStack(BF.CallPath)) {
    F.Bytes = OwnStackBytes;
    F.Origin = FrameOrigin::Override;
    F.Source = F.Stack;
    return llvm::Error::success();
  }
  if (F.Origin != FrameOrigin::Override)
    return error(BF.Fn.Location.str() + ": the " + BF.CallPath + " call path for '" +
                 BF.Low.GoName + "' (function-pointer type '" + BF.Fn.Name +
                 "') needs a frame: \"functions\": {\"overrides\": {\"" + BF.Fn.Name +
                 "\": {\"frame_bytes\": N}}}");
  return llvm::Error::success();
}

} // namespace

// The frame must cover everything the native code and its callees use
// (ARCHITECTURE.md fact 4). An unknown bound is no frame at all unless the
// config gives a number: gotramp will not guess.
llvm::Expected<std::map<size_t, SkipRequest>> sizeFrames(TargetPlan &TP,
                                                         const std::string &SymbolPrefix,
                                                         const std::string &UnknownBound,
                                                         bool Strict,
                                                         Diagnostics &Diag) {
  // The blob names roots "<prefix><symbol>"; messages use the C names.
  auto cNames = [&](std::string S) {
    for (size_t At; !SymbolPrefix.empty() && (At = S.find(SymbolPrefix)) != std::string::npos;)
      S.erase(At, SymbolPrefix.size());
    return S;
  };
  auto Report = analyzeStack(TP.Pack.Syso, TP.Tgt);
  if (!Report)
    return error("stack analysis of the native code for " + TP.Tgt.goName() + ": " +
                 llvm::toString(Report.takeError()));
  std::map<size_t, SkipRequest> Unknown;
  for (size_t I = 0; I < TP.Functions.size(); ++I) {
    BoundFunction &BF = TP.Functions[I];
    if (BF.ThroughPointer) {
      if (llvm::Error E = sizePointerCallerFrame(BF))
        return E;
      continue;
    }
    // The packed blob names each root by its call symbol (PackResult::symbolFor).
    auto Bound = boundFor(*Report, BF.callSymbol());
    if (!Bound)
      return error("stack analysis: '" + BF.Fn.Name + "' on " + TP.Tgt.goName() + ": " +
                   llvm::toString(Bound.takeError()));
    // Its thunk's jump leaves the blob: say where to, in the library's words.
    if (!BF.SharedLibrary.empty() && !Bound->Known)
      Bound->Reason = "'" + BF.Fn.Symbol + "' runs in the shared library " + BF.SharedLibrary +
                      ", whose stack use the analysis cannot see";
    FramePlan &F = BF.Frame;
    F.Stack = cNames(describeStackBound(*Bound));
    // The call the analysis cannot follow goes into glibc (libc mode) or
    // into a shared library (a mixed package).
    std::string ImportNote, Reaches;
    if (!Bound->Known && Bound->Problem == StackProblem::ExternalCall)
      if (auto It = TP.LibcImports.find(Bound->ExternalSymbol); It != TP.LibcImports.end()) {
        const bool InGlibc = isGlibcLibrary(It->second.Library);
        Reaches = InGlibc ? "glibc" : "the shared library " + It->second.Library;
        ImportNote = "'" + It->first + "' " +
                (InGlibc ? "is glibc's (libc mode imports it from " + It->second.Library + ")"
                         : "is in " + Reaches) +
                ", whose stack use the analysis cannot see";
      }
    // functions.unknown_bound: the analysis picks a path that needs no
    // bound (a guard-paged native stack) when it cannot find one; a blocking
    // function keeps syscall state. (A second packing finds the path it
    // chose the first time: CallPathByAnalysis.)
    if (!Bound->Known && F.Origin == FrameOrigin::Analysis && UnknownBound != "error" &&
        (BF.CallPath == CallPathDirect || BF.CallPath == CallPathBlocking)) {
      bool Blocking = BF.CallPath == CallPathBlocking || UnknownBound == CallPathBlockingOwnStack;
      BF.CallPathReason = "stack bound unknown: " + cNames(Bound->Reason) +
                          (BF.CallPath == CallPathBlocking
                               ? "; marked blocking (" + BF.CallPathReason + ")"
                               : "") +
                          (ImportNote.empty() ? "" : "; " + ImportNote) +
                          "; functions.unknown_bound is \"" + UnknownBound + "\"";
      BF.CallPath = Blocking ? CallPathBlockingOwnStack : CallPathOwnStack;
      BF.CallPathByAnalysis = true;
    }
    // A known bound above DirectFrameLimitBytes stays off the goroutine
    // stack unless the config or the header asked for direct.
    bool BigFrame = false;
    if (Bound->Known && F.Origin == FrameOrigin::Analysis && BF.CallPath == CallPathDirect &&
        BF.CallPathReason.empty() && Bound->Bytes > DirectFrameLimitBytes &&
        Bound->Bytes <= OwnStackBytes) {
      BF.CallPathReason = "stack bound " + std::to_string(Bound->Bytes) + " bytes, above the " +
                          std::to_string(DirectFrameLimitBytes) +
                          " a frame on the goroutine stack may take (functions.overrides." +
                          BF.Fn.Name + ".call_path \"direct\" keeps it there)";
      BF.CallPath = CallPathOwnStack;
      BF.CallPathByAnalysis = true;
      BigFrame = true;
    }
    if (onOwnStack(BF.CallPath)) {
      // The native code runs on a native stack with a guard page, so no
      // bound is needed and an overflow faults instead of corrupting.
      F.Bytes = OwnStackBytes;
      F.Origin = FrameOrigin::Override;
      F.NoSplit = false;
      F.Source = !BF.CallPathByAnalysis ? F.Stack
                 : BigFrame || (Bound->Known && Bound->Bytes > DirectFrameLimitBytes)
                     ? "own stack chosen for a frame above " +
                           std::to_string(DirectFrameLimitBytes) + " bytes; " + F.Stack
                 : ImportNote.empty() ? "own stack chosen by functions.unknown_bound; " + F.Stack
                                 : "own stack chosen by functions.unknown_bound, as the code "
                                   "reaches " + Reaches + "; " + F.Stack;
      if (Bound->Known && Bound->Bytes > OwnStackBytes)
        Diag.warning(BF.Fn.Location, "'" + BF.Fn.Name + "' on " + TP.Tgt.goName() + ": " +
                                         F.Stack + " exceeds the own stack's " +
                                         std::to_string(OwnStackBytes) + " bytes");
      continue;
    }
    switch (F.Origin) {
    case FrameOrigin::Override: {
      uint64_t Analysed = Bound->Known ? trampolineFrameBytes(Bound->Bytes) : 0;
      if (Analysed <= F.Bytes)
        break;
      // The goroutine stack has no guard page: a frame below what the code
      // is known to use corrupts memory when it is reached.
      std::string Key = "functions.overrides." + BF.Fn.Name + ".frame_bytes";
      std::string Why = "the frame is below the analysed bound: " + std::to_string(F.Bytes) +
                        " bytes, but the analysis found " + F.Stack + ", " +
                        std::to_string(Analysed) + " bytes with the " +
                        std::to_string(StackMarginBytes) + "-byte margin";
      std::string Message = "'" + BF.Fn.Name + "' on " + TP.Tgt.goName() + ": " + Key +
                            ": " + Why + "; the native code may overrun its frame and " +
                            "corrupt the goroutine stack. Raise it to at least " +
                            std::to_string(Analysed) +
                            ", or remove it to use the analysed frame";
      if (Strict)
        Diag.error(BF.Fn.Location, Message);
      else
        Diag.warning(BF.Fn.Location, Message);
      F.AnalysedBytes = Analysed;
      // Whole, not appended to: a second packing sizes the frames again.
      F.Source = "set by " + Key + "; " + Why + ": the native code may overrun it";
      break;
    }
    case FrameOrigin::Analysis:
      if (!Bound->Known) {
        // The goroutine stack has no guard page: without a bound there is
        // no safe frame (functions.overrides.NAME.frame_bytes gives one).
        Unknown[I] = {"its stack bound is unknown: " + cNames(Bound->Reason) +
                          " (functions.unknown_bound is \"error\"; give its frame with "
                          "functions.overrides." + BF.Fn.Name + ".frame_bytes)",
                      /*UnknownBoundOnly=*/true};
        continue;
      }
      F.Bytes = trampolineFrameBytes(Bound->Bytes);
      F.Source = "analysed: " + F.Stack + " + " + std::to_string(StackMarginBytes) +
                 " bytes margin";
      break;
    case FrameOrigin::Global:
      if (Bound->Known) {
        F.Bytes = trampolineFrameBytes(Bound->Bytes);
        F.Source = "analysed: " + F.Stack + " + " + std::to_string(StackMarginBytes) +
                   " bytes margin";
        F.Origin = FrameOrigin::Analysis;
      } else {
        F.Source = "set by --frame-bytes or frame_bytes because the " + F.Stack;
      }
      break;
    }
    // Why direct (the default); frame_source next to it says how big.
    if (BF.CallPathReason.empty())
      BF.CallPathReason = F.Origin == FrameOrigin::Analysis
                              ? "the default: its stack bound is known"
                          : F.Origin == FrameOrigin::Override
                              ? "the default: functions.overrides." + BF.Fn.Name +
                                    ".frame_bytes gives its frame"
                              : "the default: --frame-bytes or frame_bytes gives its frame";
  }
  return Unknown;
}

llvm::Expected<TrampolineBody> selectTrampoline(const BoundFunction &BF, const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64 ? trampolineBodyAMD64(BF) : trampolineBodyARM64(BF);
}

llvm::Error selectTrampolines(TargetPlan &TP) {
  for (BoundFunction &BF : TP.Functions) {
    auto Body = selectTrampoline(BF, TP.Tgt);
    if (!Body)
      return Body.takeError();
    BF.Body = std::move(*Body);
    // NOSPLIT is provably safe when the whole declared frame fits the
    // nosplit budget (StackAnalysis.h, NosplitMaxFrameBytes), for a frame
    // the analysis sized. Blocking trampolines keep the stack check: the
    // frame also hosts the calls to entersyscall/exitsyscall, and it must
    // be in place before entersyscall forbids any stack growth.
    if (BF.Frame.Origin == FrameOrigin::Analysis)
      BF.Frame.NoSplit =
          BF.CallPath == CallPathDirect && BF.Body.FrameBytes <= NosplitMaxFrameBytes;
    // An own_stack trampoline has no frame of its own and must not reach a
    // preemption point while it holds a native stack: always NOSPLIT.
    if (BF.CallPath == CallPathOwnStack)
      BF.Frame.NoSplit = true;
  }
  return llvm::Error::success();
}

} // namespace gotramp
