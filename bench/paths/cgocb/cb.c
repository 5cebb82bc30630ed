// native/cb.c under renamed symbols (cgo_tb_cb_*): the gotramp package's
// .syso already defines tb_cb_* in the same binary. It is a file of its own
// because a cgo preamble next to //export may only declare, not define.
#define tb_cb_call_n cgo_tb_cb_call_n
#define tb_cb_call1 cgo_tb_cb_call1
#include "../../native/cb.c"
