package gotrampcbb

//go:generate sh ../../native/build.sh
//go:generate gotramp generate --config gotramp.json
