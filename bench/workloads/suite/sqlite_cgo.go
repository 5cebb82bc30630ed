package suite

// The cgo path: sqlite_gotramp.go's calls, one cgo call each.

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/workloads/cgo/sqlitec"
	"github.com/gotramp/gotramp/bench/workloads/data"
)

type cgoDB struct {
	db                                  *sqlitec.DB
	pt, ins, fill, begin, clear, commit *sqlitec.Stmt
	cnt                                 *sqlitec.Stmt
}

func openCgo(file string) (db, error) {
	d := &cgoDB{}
	var err error
	if d.db, err = sqlitec.Open(file); err != nil {
		return nil, err
	}
	for _, q := range schema {
		if err := sqlitec.Exec(d.db, q); err != nil {
			return nil, err
		}
	}
	if d.fill, err = sqlitec.Prepare(d.db, sqlFill); err != nil {
		return nil, err
	}
	if err := sqlitec.Exec(d.db, sqlBegin); err != nil {
		return nil, err
	}
	for id := int64(0); id < data.Rows; id++ {
		if err := d.row(d.fill, id); err != nil {
			return nil, err
		}
	}
	if err := sqlitec.Exec(d.db, sqlCommit); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		p **sqlitec.Stmt
		q string
	}{{&d.pt, sqlPoint}, {&d.ins, sqlInsert}, {&d.begin, sqlBegin}, {&d.clear, sqlClear},
		{&d.commit, sqlCommit}, {&d.cnt, sqlCount}} {
		if *s.p, err = sqlitec.Prepare(d.db, s.q); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// row binds id, v and s of data.Row(id) to st and steps it once.
func (d *cgoDB) row(st *sqlitec.Stmt, id int64) error {
	v, s := data.Row(id)
	sqlitec.BindInt64(st, 1, id)
	sqlitec.BindInt64(st, 2, v)
	sqlitec.BindText(st, 3, s)
	rc := sqlitec.Step(st)
	sqlitec.Reset(st)
	if rc != sqlitec.Done {
		return fmt.Errorf("insert row %d: sqlite3_step: %d", id, rc)
	}
	return nil
}

func (d *cgoDB) once(st *sqlitec.Stmt) error {
	rc := sqlitec.Step(st)
	sqlitec.Reset(st)
	if rc != sqlitec.Done {
		return fmt.Errorf("sqlite3_step: %d", rc)
	}
	return nil
}

func (d *cgoDB) point(id int64) (int64, error) {
	sqlitec.BindInt64(d.pt, 1, id)
	if rc := sqlitec.Step(d.pt); rc != sqlitec.Row {
		sqlitec.Reset(d.pt)
		return 0, fmt.Errorf("sqlite3_step: %d", rc)
	}
	v := sqlitec.ColumnInt64(d.pt, 0)
	sqlitec.Reset(d.pt)
	return v, nil
}

func (d *cgoDB) insert() error {
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

func (d *cgoDB) count() (n, sum, slen int64, err error) {
	if rc := sqlitec.Step(d.cnt); rc != sqlitec.Row {
		sqlitec.Reset(d.cnt)
		return 0, 0, 0, fmt.Errorf("sqlite3_step: %d", rc)
	}
	n, sum, slen = sqlitec.ColumnInt64(d.cnt, 0), sqlitec.ColumnInt64(d.cnt, 1), sqlitec.ColumnInt64(d.cnt, 2)
	sqlitec.Reset(d.cnt)
	return n, sum, slen, nil
}
