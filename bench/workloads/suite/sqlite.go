package suite

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	_ "github.com/mattn/go-sqlite3" // driver "sqlite3"
	_ "modernc.org/sqlite"          // driver "sqlite"

	"github.com/gotramp/gotramp/bench/workloads/data"
)

func unsafePtr(b []byte) unsafe.Pointer { return unsafe.Pointer(&b[0]) }

// The statements of every path (cloop/cloop.c has the same). WAL with
// synchronous=NORMAL: a commit does not wait for fsync, so the insert
// transaction measures SQLite and the calls, not the disk.
var (
	schema = []string{
		"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
		"CREATE TABLE pt(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)",
		"CREATE TABLE ins(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)",
	}
	sqlPoint  = "SELECT v FROM pt WHERE id = ?"
	sqlFill   = "INSERT INTO pt(id, v, s) VALUES(?, ?, ?)"
	sqlInsert = "INSERT INTO ins(id, v, s) VALUES(?, ?, ?)"
	sqlBegin  = "BEGIN"
	sqlClear  = "DELETE FROM ins"
	sqlCommit = "COMMIT"
	sqlCount  = "SELECT count(*), sum(v), sum(length(s)) FROM ins"
)

// db is one path's database, opened in a temporary directory.
type db interface {
	// point runs the point query for id and returns v.
	point(id int64) (int64, error)
	// insert runs one transaction: clear ins, insert data.Rows rows.
	insert() error
	// count returns count(*), sum(v) and sum(length(s)) of ins.
	count() (int64, int64, int64, error)
}

func checkPoint(what string, d db) error {
	for _, id := range []int64{0, 1, 499, data.Rows - 1} {
		v, err := d.point(id)
		if err != nil {
			return fmt.Errorf("%s point query %d: %v", what, id, err)
		}
		if want, _ := data.Row(id); v != want {
			return fmt.Errorf("%s point query %d: v = %d, want %d", what, id, v, want)
		}
	}
	return nil
}

func checkInsert(what string, d db) error {
	if err := d.insert(); err != nil {
		return fmt.Errorf("%s insert: %v", what, err)
	}
	n, sum, slen, err := d.count()
	if err != nil {
		return fmt.Errorf("%s count: %v", what, err)
	}
	var wantSum, wantLen int64
	for id := int64(0); id < data.Rows; id++ {
		v, s := data.Row(id)
		wantSum += v
		wantLen += int64(len(s))
	}
	if n != data.Rows || sum != wantSum || slen != wantLen {
		return fmt.Errorf("%s after the insert transaction: %d rows, sum(v) %d, sum(length(s)) %d; want %d, %d, %d",
			what, n, sum, slen, data.Rows, wantSum, wantLen)
	}
	return nil
}

func sqliteCases(dir string) ([]Case, error) {
	var point, insert []Impl
	add := func(path string, open func(string) (db, error)) error {
		p := filepath.Join(dir, path)
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
		d, err := open(filepath.Join(p, "bench.db"))
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		point = append(point, Impl{path, func(k int) {
			for i := 0; i < k; i++ {
				_, _ = d.point(int64(i % data.Rows))
			}
		}, func() error { return checkPoint(path, d) }})
		insert = append(insert, Impl{path, func(k int) {
			for i := 0; i < k; i++ {
				_ = d.insert()
			}
		}, func() error { return checkInsert(path, d) }})
		return nil
	}
	for _, p := range []struct {
		path string
		open func(string) (db, error)
	}{
		{Gotramp, openGotramp}, {GotrampStep, openGotrampOS}, {Cgo, openCgo},
		{PureGo, func(f string) (db, error) { return openSQL("sqlite", f) }},
		{Mattn, func(f string) (db, error) { return openSQL("sqlite3", f) }},
	} {
		if err := add(p.path, p.open); err != nil {
			return nil, err
		}
	}
	return []Case{{Key: "sqlite.point", Impls: point}, {Key: "sqlite.insert1000", Impls: insert}}, nil
}

// rowText holds data.Row's s as strings, made once: database/sql binds a
// string as TEXT (a []byte would be a BLOB), and converting in the loop
// would charge those paths an allocation per row that the others do not pay.
var rowText = func() []string {
	t := make([]string, data.Rows)
	for id := range t {
		_, s := data.Row(int64(id))
		t[id] = string(s)
	}
	return t
}()

func cstr(s string) *byte { return &append([]byte(s), 0)[0] }

// fill writes the point query's rows with the given insert function.
func fill(exec func(string) error, ins func(id, v int64, s []byte) error) error {
	for _, q := range schema {
		if err := exec(q); err != nil {
			return err
		}
	}
	if err := exec(sqlBegin); err != nil {
		return err
	}
	for id := int64(0); id < data.Rows; id++ {
		v, s := data.Row(id)
		if err := ins(id, v, s); err != nil {
			return err
		}
	}
	return exec(sqlCommit)
}

// --- database/sql: modernc.org/sqlite and mattn/go-sqlite3 -------------------

type sqlDB struct {
	db              *sql.DB
	point_, insert_ *sql.Stmt
}

func openSQL(driver, file string) (db, error) {
	d, err := sql.Open(driver, file)
	if err != nil {
		return nil, err
	}
	d.SetMaxOpenConns(1) // one connection, as the native paths have
	fillStmt, err := func() (*sql.Stmt, error) {
		for _, q := range schema {
			if _, err := d.Exec(q); err != nil {
				return nil, err
			}
		}
		return d.Prepare(sqlFill)
	}()
	if err != nil {
		return nil, err
	}
	tx, err := d.Begin()
	if err != nil {
		return nil, err
	}
	st := tx.Stmt(fillStmt)
	for id := int64(0); id < data.Rows; id++ {
		v, _ := data.Row(id)
		if _, err := st.Exec(id, v, rowText[id]); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s := &sqlDB{db: d}
	if s.point_, err = d.Prepare(sqlPoint); err != nil {
		return nil, err
	}
	if s.insert_, err = d.Prepare(sqlInsert); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *sqlDB) point(id int64) (int64, error) {
	var v int64
	err := s.point_.QueryRow(id).Scan(&v)
	return v, err
}

func (s *sqlDB) insert() error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(sqlClear); err != nil {
		_ = tx.Rollback()
		return err
	}
	st := tx.Stmt(s.insert_)
	for id := int64(0); id < data.Rows; id++ {
		v, _ := data.Row(id)
		if _, err := st.Exec(id, v, rowText[id]); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

func (s *sqlDB) count() (n, sum, slen int64, err error) {
	err = s.db.QueryRow(sqlCount).Scan(&n, &sum, &slen)
	return
}
