package gotrampzlib

//go:generate gotramp generate --config gotramp.json
