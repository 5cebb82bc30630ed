/* Parameters named after Go assembler registers, pseudo-registers, special
   operands and macros of amd64 and arm64: `MOVQ SP+16(FP), DX` does not
   name an argument. Each function weighs its arguments differently, so a
   mix-up shows in the result. */
typedef long long i64;

i64 regs_pseudo(i64 SP, i64 FP, i64 SB, i64 PC, i64 g, i64 ret, i64 g_, i64 ret_);
i64 regs_amd64(i64 AX, i64 R12, i64 X0, i64 BP, i64 AL, i64 Y0, i64 K1, i64 TLS, i64 R8B);
i64 regs_arm64(i64 R0, i64 V0, i64 ZR, i64 RSP, i64 LR, i64 R18_PLATFORM, i64 F7, i64 R28);
i64 regs_operands(i64 C, i64 EQ, i64 J, i64 PLDL1KEEP, i64 DAIFSet, i64 NZCV, i64 CurrentEL,
                  i64 SPSR_abt, i64 MIDR_EL1, i64 APIAKeyHi_EL1);
i64 regs_macros(i64 NOSPLIT, i64 NO_LOCAL_POINTERS, i64 GOOS_linux, i64 GOARCH_amd64,
                i64 GOAMD64_v1, i64 PCDATA_UnsafePoint, i64 ArgsSizeUnknown, i64 _, i64 p8);
/* Floating-point arguments: the moves use X and V registers. */
double regs_float(double X1, double V1, double F0, double F31, double Z0, double M0);
/* `fn` is the pointer callers' own first parameter. */
typedef i64 (*regs_callback)(i64 fn, i64 fn_, i64 SP);
regs_callback regs_get_callback(void);
