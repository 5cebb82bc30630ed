#include "regs.h"

i64 regs_pseudo(i64 SP, i64 FP, i64 SB, i64 PC, i64 g, i64 ret, i64 g_, i64 ret_) {
  return SP + 2 * FP + 3 * SB + 4 * PC + 5 * g + 6 * ret + 7 * g_ + 8 * ret_;
}
i64 regs_amd64(i64 AX, i64 R12, i64 X0, i64 BP, i64 AL, i64 Y0, i64 K1, i64 TLS, i64 R8B) {
  return AX + 2 * R12 + 3 * X0 + 4 * BP + 5 * AL + 6 * Y0 + 7 * K1 + 8 * TLS + 9 * R8B;
}
i64 regs_arm64(i64 R0, i64 V0, i64 ZR, i64 RSP, i64 LR, i64 R18_PLATFORM, i64 F7, i64 R28) {
  return R0 + 2 * V0 + 3 * ZR + 4 * RSP + 5 * LR + 6 * R18_PLATFORM + 7 * F7 + 8 * R28;
}
i64 regs_operands(i64 C, i64 EQ, i64 J, i64 PLDL1KEEP, i64 DAIFSet, i64 NZCV, i64 CurrentEL,
                  i64 SPSR_abt, i64 MIDR_EL1, i64 APIAKeyHi_EL1) {
  return C + 2 * EQ + 3 * J + 4 * PLDL1KEEP + 5 * DAIFSet + 6 * NZCV + 7 * CurrentEL +
         8 * SPSR_abt + 9 * MIDR_EL1 + 10 * APIAKeyHi_EL1;
}
i64 regs_macros(i64 NOSPLIT, i64 NO_LOCAL_POINTERS, i64 GOOS_linux, i64 GOARCH_amd64,
                i64 GOAMD64_v1, i64 PCDATA_UnsafePoint, i64 ArgsSizeUnknown, i64 _, i64 p8) {
  return NOSPLIT + 2 * NO_LOCAL_POINTERS + 3 * GOOS_linux + 4 * GOARCH_amd64 + 5 * GOAMD64_v1 +
         6 * PCDATA_UnsafePoint + 7 * ArgsSizeUnknown + 8 * _ + 9 * p8;
}
double regs_float(double X1, double V1, double F0, double F31, double Z0, double M0) {
  return X1 + 2 * V1 + 4 * F0 + 8 * F31 + 16 * Z0 + 32 * M0;
}
static i64 callback(i64 fn, i64 fn_, i64 SP) { return fn + 2 * fn_ + 3 * SP; }
regs_callback regs_get_callback(void) { return callback; }
