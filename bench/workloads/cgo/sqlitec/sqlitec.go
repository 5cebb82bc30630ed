// Package sqlitec calls SQLite through cgo, one C call per SQLite call as
// the gotramp path makes them: the same objects as the gotramp package
// (out/libsqlite.a), renamed cgo_NAME as in lz4c, which also keeps them
// apart from mattn/go-sqlite3's own copy of SQLite in the same binary.
package sqlitec

/*
#cgo CFLAGS: -I${SRCDIR}/../../out/include
#cgo LDFLAGS: ${SRCDIR}/../../out/libsqlite_cgo.a -lpthread -ldl -lm
#include <stdlib.h>
#include "sqlite_cgo_names.h"
#include "sqlite3.h"

static int wl_bind_text_transient(sqlite3_stmt *s, int i, const char *p, int n) {
	return sqlite3_bind_text(s, i, p, n, SQLITE_TRANSIENT);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// DB and Stmt are SQLite's handles.
type (
	DB   = C.sqlite3
	Stmt = C.sqlite3_stmt
)

// Open opens (creating) the file database path.
func Open(path string) (*DB, error) {
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	var db *C.sqlite3
	if rc := C.cgo_sqlite3_open_v2(p, &db, C.SQLITE_OPEN_READWRITE|C.SQLITE_OPEN_CREATE, nil); rc != C.SQLITE_OK {
		return nil, fmt.Errorf("sqlite3_open_v2(%s): %d", path, rc)
	}
	return db, nil
}

// Close is sqlite3_close_v2.
func Close(db *DB) int { return int(C.cgo_sqlite3_close_v2(db)) }

// Exec runs sql with sqlite3_exec.
func Exec(db *DB, sql string) error {
	p := C.CString(sql)
	defer C.free(unsafe.Pointer(p))
	if rc := C.cgo_sqlite3_exec(db, p, nil, nil, nil); rc != C.SQLITE_OK {
		return fmt.Errorf("sqlite3_exec(%q): %d %s", sql, rc, C.GoString(C.cgo_sqlite3_errmsg(db)))
	}
	return nil
}

// Prepare is sqlite3_prepare_v2.
func Prepare(db *DB, sql string) (*Stmt, error) {
	p := C.CString(sql)
	defer C.free(unsafe.Pointer(p))
	var s *C.sqlite3_stmt
	if rc := C.cgo_sqlite3_prepare_v2(db, p, -1, &s, nil); rc != C.SQLITE_OK {
		return nil, fmt.Errorf("sqlite3_prepare_v2(%q): %d %s", sql, rc, C.GoString(C.cgo_sqlite3_errmsg(db)))
	}
	return s, nil
}

// Finalize is sqlite3_finalize.
func Finalize(s *Stmt) int { return int(C.cgo_sqlite3_finalize(s)) }

// BindInt64 is sqlite3_bind_int64.
func BindInt64(s *Stmt, i int, v int64) int {
	return int(C.cgo_sqlite3_bind_int64(s, C.int(i), C.sqlite3_int64(v)))
}

// BindText is sqlite3_bind_text with SQLITE_TRANSIENT (SQLite copies b).
func BindText(s *Stmt, i int, b []byte) int {
	return int(C.wl_bind_text_transient(s, C.int(i), (*C.char)(unsafe.Pointer(&b[0])), C.int(len(b))))
}

// Step is sqlite3_step.
func Step(s *Stmt) int { return int(C.cgo_sqlite3_step(s)) }

// Reset is sqlite3_reset.
func Reset(s *Stmt) int { return int(C.cgo_sqlite3_reset(s)) }

// ColumnInt64 is sqlite3_column_int64.
func ColumnInt64(s *Stmt, i int) int64 { return int64(C.cgo_sqlite3_column_int64(s, C.int(i))) }

// Result codes.
const (
	OK   = C.SQLITE_OK
	Row  = C.SQLITE_ROW
	Done = C.SQLITE_DONE
)
