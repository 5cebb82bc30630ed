package suite

// sqlite_gotramp.go with the package sqliteos, whose sqlite3_step is on
// own_stack instead of blocking; TestSQLiteFilesAgree keeps them equal.

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/workloads/data"
	"github.com/gotramp/gotramp/bench/workloads/gen/sqliteos"
)

type gotrampOSDB struct {
	db                                  *sqliteos.Sqlite3
	pt, ins, fill, begin, clear, commit *sqliteos.Sqlite3Stmt
	cnt                                 *sqliteos.Sqlite3Stmt
}

func openGotrampOS(file string) (db, error) {
	d := &gotrampOSDB{}
	if rc := sqliteos.Sqlite3OpenV2(cstr(file), &d.db, sqliteos.SQLITE_OPEN_READWRITE|sqliteos.SQLITE_OPEN_CREATE, nil); rc != sqliteos.SQLITE_OK {
		return nil, fmt.Errorf("sqlite3_open_v2: %d", rc)
	}
	exec := func(q string) error {
		if rc := sqliteos.Sqlite3Exec(d.db, cstr(q), 0, nil, nil); rc != sqliteos.SQLITE_OK {
			return fmt.Errorf("sqlite3_exec(%q): %d", q, rc)
		}
		return nil
	}
	for _, q := range schema {
		if err := exec(q); err != nil {
			return nil, err
		}
	}
	if rc := sqliteos.Sqlite3PrepareV2(d.db, cstr(sqlFill), -1, &d.fill, nil); rc != sqliteos.SQLITE_OK {
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
		p **sqliteos.Sqlite3Stmt
		q string
	}{{&d.pt, sqlPoint}, {&d.ins, sqlInsert}, {&d.begin, sqlBegin}, {&d.clear, sqlClear},
		{&d.commit, sqlCommit}, {&d.cnt, sqlCount}} {
		if rc := sqliteos.Sqlite3PrepareV2(d.db, cstr(s.q), -1, s.p, nil); rc != sqliteos.SQLITE_OK {
			return nil, fmt.Errorf("sqlite3_prepare_v2(%q): %d", s.q, rc)
		}
	}
	return d, nil
}

// row binds id, v and s of data.Row(id) to st and steps it once.
func (d *gotrampOSDB) row(st *sqliteos.Sqlite3Stmt, id int64) error {
	v, s := data.Row(id)
	sqliteos.Sqlite3BindInt64(st, 1, id)
	sqliteos.Sqlite3BindInt64(st, 2, v)
	sqliteos.Sqlite3BindText(st, 3, &s[0], int32(len(s)), transient)
	rc := sqliteos.Sqlite3Step(st)
	sqliteos.Sqlite3Reset(st)
	if rc != sqliteos.SQLITE_DONE {
		return fmt.Errorf("insert row %d: sqlite3_step: %d", id, rc)
	}
	return nil
}

func (d *gotrampOSDB) once(st *sqliteos.Sqlite3Stmt) error {
	rc := sqliteos.Sqlite3Step(st)
	sqliteos.Sqlite3Reset(st)
	if rc != sqliteos.SQLITE_DONE {
		return fmt.Errorf("sqlite3_step: %d", rc)
	}
	return nil
}

func (d *gotrampOSDB) point(id int64) (int64, error) {
	sqliteos.Sqlite3BindInt64(d.pt, 1, id)
	if rc := sqliteos.Sqlite3Step(d.pt); rc != sqliteos.SQLITE_ROW {
		sqliteos.Sqlite3Reset(d.pt)
		return 0, fmt.Errorf("sqlite3_step: %d", rc)
	}
	v := sqliteos.Sqlite3ColumnInt64(d.pt, 0)
	sqliteos.Sqlite3Reset(d.pt)
	return v, nil
}

func (d *gotrampOSDB) insert() error {
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

func (d *gotrampOSDB) count() (n, sum, slen int64, err error) {
	if rc := sqliteos.Sqlite3Step(d.cnt); rc != sqliteos.SQLITE_ROW {
		sqliteos.Sqlite3Reset(d.cnt)
		return 0, 0, 0, fmt.Errorf("sqlite3_step: %d", rc)
	}
	n, sum, slen = sqliteos.Sqlite3ColumnInt64(d.cnt, 0), sqliteos.Sqlite3ColumnInt64(d.cnt, 1), sqliteos.Sqlite3ColumnInt64(d.cnt, 2)
	sqliteos.Sqlite3Reset(d.cnt)
	return n, sum, slen, nil
}
