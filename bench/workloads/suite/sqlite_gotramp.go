package suite

// sqlite_gotramp_os.go is this file with the package sqliteos (sqlite3_step
// on own_stack instead of blocking); TestSQLiteFilesAgree keeps them equal.

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/workloads/data"
	"github.com/gotramp/gotramp/bench/workloads/gen/sqlite"
)

type gotrampDB struct {
	db                                  *sqlite.Sqlite3
	pt, ins, fill, begin, clear, commit *sqlite.Sqlite3Stmt
	cnt                                 *sqlite.Sqlite3Stmt
}

// transient is SQLITE_TRANSIENT: SQLite copies the text it is given.
const transient = ^uintptr(0)

func openGotramp(file string) (db, error) {
	d := &gotrampDB{}
	if rc := sqlite.Sqlite3OpenV2(cstr(file), &d.db, sqlite.SQLITE_OPEN_READWRITE|sqlite.SQLITE_OPEN_CREATE, nil); rc != sqlite.SQLITE_OK {
		return nil, fmt.Errorf("sqlite3_open_v2: %d", rc)
	}
	exec := func(q string) error {
		if rc := sqlite.Sqlite3Exec(d.db, cstr(q), 0, nil, nil); rc != sqlite.SQLITE_OK {
			return fmt.Errorf("sqlite3_exec(%q): %d", q, rc)
		}
		return nil
	}
	for _, q := range schema {
		if err := exec(q); err != nil {
			return nil, err
		}
	}
	if rc := sqlite.Sqlite3PrepareV2(d.db, cstr(sqlFill), -1, &d.fill, nil); rc != sqlite.SQLITE_OK {
		return nil, fmt.Errorf("sqlite3_prepare_v2(%q): %d", sqlFill, rc)
	}
	if err := exec(sqlBegin); err != nil {
		return nil, err
	}
	for id := int64(0); id < data.Rows; id++ {
		if err := d.row(d.fill, id); err != nil {
			return nil, err
		}
	}
	if err := exec(sqlCommit); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		p **sqlite.Sqlite3Stmt
		q string
	}{{&d.pt, sqlPoint}, {&d.ins, sqlInsert}, {&d.begin, sqlBegin}, {&d.clear, sqlClear},
		{&d.commit, sqlCommit}, {&d.cnt, sqlCount}} {
		if rc := sqlite.Sqlite3PrepareV2(d.db, cstr(s.q), -1, s.p, nil); rc != sqlite.SQLITE_OK {
			return nil, fmt.Errorf("sqlite3_prepare_v2(%q): %d", s.q, rc)
		}
	}
	return d, nil
}

// row binds id, v and s of data.Row(id) to st and steps it once.
func (d *gotrampDB) row(st *sqlite.Sqlite3Stmt, id int64) error {
	v, s := data.Row(id)
	sqlite.Sqlite3BindInt64(st, 1, id)
	sqlite.Sqlite3BindInt64(st, 2, v)
	sqlite.Sqlite3BindText(st, 3, &s[0], int32(len(s)), transient)
	rc := sqlite.Sqlite3Step(st)
	sqlite.Sqlite3Reset(st)
	if rc != sqlite.SQLITE_DONE {
		return fmt.Errorf("insert row %d: sqlite3_step: %d", id, rc)
	}
	return nil
}

func (d *gotrampDB) once(st *sqlite.Sqlite3Stmt) error {
	rc := sqlite.Sqlite3Step(st)
	sqlite.Sqlite3Reset(st)
	if rc != sqlite.SQLITE_DONE {
		return fmt.Errorf("sqlite3_step: %d", rc)
	}
	return nil
}

func (d *gotrampDB) point(id int64) (int64, error) {
	sqlite.Sqlite3BindInt64(d.pt, 1, id)
	if rc := sqlite.Sqlite3Step(d.pt); rc != sqlite.SQLITE_ROW {
		sqlite.Sqlite3Reset(d.pt)
		return 0, fmt.Errorf("sqlite3_step: %d", rc)
	}
	v := sqlite.Sqlite3ColumnInt64(d.pt, 0)
	sqlite.Sqlite3Reset(d.pt)
	return v, nil
}

func (d *gotrampDB) insert() error {
	if err := d.once(d.begin); err != nil {
		return err
	}
	if err := d.once(d.clear); err != nil {
		return err
	}
	for id := int64(0); id < data.Rows; id++ {
		if err := d.row(d.ins, id); err != nil {
			return err
		}
	}
	return d.once(d.commit)
}

func (d *gotrampDB) count() (n, sum, slen int64, err error) {
	if rc := sqlite.Sqlite3Step(d.cnt); rc != sqlite.SQLITE_ROW {
		sqlite.Sqlite3Reset(d.cnt)
		return 0, 0, 0, fmt.Errorf("sqlite3_step: %d", rc)
	}
	n, sum, slen = sqlite.Sqlite3ColumnInt64(d.cnt, 0), sqlite.Sqlite3ColumnInt64(d.cnt, 1), sqlite.Sqlite3ColumnInt64(d.cnt, 2)
	sqlite.Sqlite3Reset(d.cnt)
	return n, sum, slen, nil
}
