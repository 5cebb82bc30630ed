package gotrampzlibdirect

//go:generate gotramp generate --config gotramp.json
