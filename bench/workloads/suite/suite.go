package suite

// Cases returns every workload with its paths; SQLite's databases go to
// files under dir.
func Cases(dir string) ([]Case, error) {
	var cs []Case
	for _, n := range []int{1024, 65536} {
		cs = append(cs, lz4Cases(n)...)
	}
	for _, n := range []int{1024, 65536} {
		cs = append(cs, zstdCases(n)...)
	}
	for _, n := range []int{64, 4096} {
		cs = append(cs, checksumCases(n)...)
	}
	for _, n := range []int{1024, 65536} {
		cs = append(cs, deflateCases(n)...)
	}
	sq, err := sqliteCases(dir)
	if err != nil {
		return nil, err
	}
	return append(cs, sq...), nil
}
