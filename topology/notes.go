package topology

// AppendNew appends to list each of more that is not empty and not
// already in it: a hop's notes, where one assumption is said once.
func AppendNew(list []string, more ...string) []string {
	for _, m := range more {
		if m == "" {
			continue
		}
		dup := false
		for _, l := range list {
			dup = dup || l == m
		}
		if !dup {
			list = append(list, m)
		}
	}
	return list
}
